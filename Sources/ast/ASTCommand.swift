import ArgumentParser

@main
struct ASTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ast",
        abstract: "Adaptive Sparse Training: simulate, verify and tune the Sundew PI controller, then train with it.",
        version: ASTVersion.current,
        subcommands: [
            PresetsCommand.self, SimulateCommand.self, ReplayCommand.self, VerifyCommand.self, AnalyzeCommand.self,
            SweepCommand.self, MergeCommand.self, TuneCommand.self, TrainCommand.self, CompareCommand.self, ConfirmCommand.self, DemoCommand.self,
        ]
    )
}

enum ASTVersion {
    static let current = "0.1.0"
}
