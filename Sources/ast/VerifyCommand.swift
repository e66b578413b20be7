import ArgumentParser
import ASTReport
import ASTSim
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Run every scenario and check its expectations; exit 1 if any fails or any file cannot be run.",
        discussion: "A broken scenario file is reported and the others still run; the summary lists every file that could not be run."
    )

    @Argument(help: "Scenario files or directories (default: Scenarios/).")
    var paths: [String] = []

    @Option(help: "Also write verify.json, verify.csv, errors.csv and a report.html with plots here.")
    var out: String?

    @Flag(help: "List every expectation, not only the failures.")
    var verbose = false

    func validate() throws {
        if let out { try OutputDirectory.check(out, flag: "--out") }
    }

    func run() throws {
        let roots = paths.isEmpty ? ["Scenarios"] : paths
        var errors: [InputError] = []
        var files: [String] = []
        var unlisted = 0
        // Each path on its own, so a missing one is reported beside the others' results.
        for path in roots {
            do {
                files += try ScenarioLoader.scenarioFiles(in: [path])
            } catch {
                errors.append(error)
                unlisted += 1
            }
        }
        guard !files.isEmpty || !errors.isEmpty else { throw ValidationError("no scenario files found in \(roots)") }
        var results: [ScenarioResult] = []
        for file in files {
            do throws(InputError) {
                let scenario = try ScenarioLoader.load(path: file)
                Diagnostics.note("verifying \(scenario.name) (\(scenario.controllers.count) controllers × \(scenario.seeds.count) seeds × \(scenario.steps) steps)")
                for note in scenario.notes { Diagnostics.note("note: \(note)") }
                results.append(try ScenarioRunner.run(scenario, keepTraces: out != nil))
            } catch {
                Diagnostics.note("error: \(error)")
                errors.append(error)
            }
        }
        if !results.isEmpty {
            print(VerifyTables.matrix(results).render())
            print("")
        }
        let failures = VerifyTables.expectations(results, onlyFailures: !verbose)
        if !failures.rows.isEmpty { print(failures.render()); print("") }
        let checked = results.flatMap(\.outcomes).flatMap(\.expectations)
        let failed = checked.filter { !$0.holds }.count
        if !errors.isEmpty {
            print("\(errors.count) of \(files.count + unlisted) scenario paths could not be run:")
            for error in errors { print("  \(error)") }
            print("")
        }
        // Not "N passed, N failed": CI reads that shape as a test runner's closing line.
        print("expectations hold: \(checked.count - failed) of \(checked.count) (\(failed) do not)"
              + (errors.isEmpty ? "" : "; \(errors.count) scenario files not run"))
        if let out {
            try VerifyWriters.write(results, errors: errors, to: out)
            print("wrote \(out)/verify.csv, verify.json, errors.csv, report.html")
        }
        if failed > 0 || !errors.isEmpty { throw ExitCode(1) }
    }
}
