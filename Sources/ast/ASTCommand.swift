import ArgumentParser
@preconcurrency import Glibc

@main
struct ASTCommand: AsyncParsableCommand {
    /// Line-buffers stdout, so `ast train > log` shows every epoch line as it happens (and an
    /// interrupted run keeps them), then runs the command.
    static func main() async {
        setvbuf(stdout, nil, _IOLBF, 0)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

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
