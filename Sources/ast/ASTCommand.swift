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
        discussion: """
        Exit codes, for every subcommand: 0 done; 1 the run failed (an expectation did not hold, a loss \
        diverged, a file could not be read or written); 64 a usage error (a bad option or value). \
        `ast demo` runs the whole story; `docs/ARCHITECTURE.md` maps every concept to its file.
        """,
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
