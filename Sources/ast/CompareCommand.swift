import ArgumentParser
import ASTReport
import ASTTrain
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train several policies with several random seeds on the same data; report accuracy, time to accuracy, speedup and its bound, with intervals.",
        usage: """
        ast compare [--policies <p1,p2,...>] [--seeds <1,2,3>] [--reach <accuracy>] [--epochs <n>] [--target <rate>]
                    [--preset <name> | --gains <file>] [--train-limit <n>] [--out <dir>] [more options below]
        """,
        discussion: """
        For each random seed the policies take turns epoch by epoch (epoch 1 of each, then epoch 2 of each, ...), each epoch after one untimed warm-up step, so a slow stretch of the machine lands on every policy alike. \
        The accuracy-against-seconds curve is evaluated on a test subset every --curve-every steps, off the training clock. \
        Exit codes: 0 done; 1 a run failed; 64 a usage error.
        """
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "Comma-separated policies: \(SelectionPolicy.allCases.map(\.rawValue).joined(separator: ", ")).")
    var policies: CommaSeparated<SelectionPolicy> = CommaSeparated(argument: "full,uniform,random-forwarded,topk,ast")!

    @Option(help: "Comma-separated random seeds; every policy runs with every seed.")
    var seeds: CommaSeparated<UInt64> = CommaSeparated(argument: "1")!

    @Option(help: "Curve accuracy for time-to-accuracy (default: what uniform reaches at the end).")
    var reach: Double?

    @Option(help: "Output directory.")
    var out: String = "out/compare"

    func validate() throws {
        guard Set(policies.values).count == policies.values.count else {
            throw ValidationError("--policies names a policy twice (\(policies.values.map(\.rawValue).joined(separator: ","))); each runs once per seed")
        }
        guard Set(seeds.values).count == seeds.values.count else { throw ValidationError("--seeds names a seed twice") }
        if let reach, !(reach > 0 && reach <= 1) { throw ValidationError("--reach must be in (0, 1], got \(reach)") }
        guard training.seed == nil else { throw ValidationError("compare takes --seeds (a list), not --seed") }
        try OutputDirectory.check(out, flag: "--out")
    }

    func run() throws {
        if let note = training.threadNote { print(note) }
        let dataset = try training.loadDataset()
        try OutputCheck.writableDirectory(out, flag: "--out")
        let report = try CompareRun.run(training: training, dataset: dataset, policies: policies.values, seeds: seeds.values, reach: reach)
        print("")
        print(CompareRun.table(report).render())
        for warning in report.warnings { print("WARNING: \(warning)") }
        print(CompareRun.conclusion(report))
        try CompareRun.write(report, controllerName: try? training.controller().name, configuration: RunConfiguration.describe(training: training, dataset: dataset, seeds: seeds.values), to: out)
        print("wrote \(out)/compare.csv, curves.csv, compare.json, report.html, and one folder per policy and seed")
    }
}

/// Shared by `compare` and `demo`.
enum CompareRun {
    static func run(training: TrainingArguments, dataset: Dataset, policies: [SelectionPolicy], seeds: [UInt64],
                    reach: Double?) throws -> ComparisonReport {
        try run(options: try training.options(policy: .full, curvePointsPerEpoch: 10), dataset: dataset, policies: policies,
                seeds: seeds, reach: reach)
    }

    /// Runs the comparison with progress on the terminal.
    static func run(options: TrainingOptions, dataset: Dataset, policies: [SelectionPolicy], seeds: [UInt64],
                    reach: Double?) throws -> ComparisonReport {
        print("\(dataset.name): policies \(policies.map(\.rawValue).joined(separator: ", ")), random seeds \(seeds.map(String.init).joined(separator: ",")), "
              + "target \(options.targetRate), \(options.epochs) epoch\(options.epochs == 1 ? "" : "s"), batch \(options.batchSize); "
              + "per seed the same data order and initial weights for every policy")
        var printers: [String: TrainingProgressPrinter] = [:]
        return try PolicyComparison.run(dataset: dataset, options: options, policies: policies, seeds: seeds, reach: reach) { policy, seed, event in
            let key = "\(policy.rawValue) seed \(seed)"
            let printer = printers[key] ?? TrainingProgressPrinter(label: key)
            printers[key] = printer
            printer.handle(event)
        }
    }

    static let header = ["policy", "test acc (95 % CI)", "train s (95 % CI)", "speedup", "bound", "forwarded", "back-propagated",
                         "compute saved", "time to reach", "acc at equal time"]

    static func percent(_ interval: Interval?) -> String {
        guard let interval else { return "-" }
        if interval.count < 2 { return NumberText.fixed(interval.mean * 100, 2) + " %" }
        return NumberText.fixed(interval.mean * 100, 2) + " % [" + NumberText.fixed(interval.lower * 100, 2) + ", "
            + NumberText.fixed(interval.upper * 100, 2) + "]"
    }

    static func seconds(_ interval: Interval?) -> String {
        guard let interval else { return "-" }
        if interval.count < 2 { return NumberText.fixed(interval.mean, 1) }
        return NumberText.fixed(interval.mean, 1) + " [" + NumberText.fixed(interval.lower, 1) + ", " + NumberText.fixed(interval.upper, 1) + "]"
    }

    static func rows(_ report: ComparisonReport) -> [[String]] {
        report.summaries.map { summary in
            [
                summary.policy.rawValue, percent(summary.accuracy), seconds(summary.trainSeconds),
                summary.measuredSpeedup.map { NumberText.fixed($0.mean, 2) + "×" } ?? "n/a (no full run)",
                NumberText.fixed(summary.bound, 2) + "×" + (summary.breachesBound ? (summary.breachIsWithinSpread ? " BREACHED (in noise)" : " BREACHED") : "")
                    + (report.backwardSecondsPerRow == nil ? " (estimate)" : ""),
                String(Int(summary.samplesForwarded.rounded())), String(Int(summary.samplesBackpropagated.rounded())),
                NumberText.fixed(summary.computeSaved * 100, 1) + " %",
                summary.secondsToReach.map { seconds($0) + " s" + (summary.reachedSeeds < report.seeds.count ? " (\(summary.reachedSeeds)/\(report.seeds.count) seeds)" : "") } ?? "never",
                percent(summary.accuracyAtBudget),
            ]
        }
    }

    static func table(_ report: ComparisonReport) -> TextTable { TextTable(header: header, rows: rows(report)) }

    /// The plain conclusion: which policy reaches the target accuracy first, against `uniform`.
    static func conclusion(_ report: ComparisonReport) -> String {
        guard let reach = report.reachAccuracy else { return "time to accuracy: no target (give --reach, or include uniform)" }
        return conclusion(target: NumberText.fixed(reach * 100, 2) + " % (" + report.reachSource + ")",
                          seedCount: report.seeds.count,
                          times: report.summaries.map { ReachTime(policy: $0.policy, seconds: $0.secondsToReach, reachedSeeds: $0.reachedSeeds) })
    }

    /// One policy's time to the target accuracy: over the seeds that reached it (`nil`: none did).
    struct ReachTime {
        let policy: SelectionPolicy
        let seconds: Interval?
        let reachedSeeds: Int
    }

    /// The conclusion from the times to the target: the fastest policy among those that reached
    /// it with every seed, then `uniform`'s time beside it, saying when `uniform` reached it with
    /// some seeds only (its time is then over those seeds, not comparable one for one).
    static func conclusion(target: String, seedCount: Int, times: [ReachTime]) -> String {
        let reached = times.filter { $0.seconds != nil && $0.reachedSeeds == seedCount }
        guard let best = reached.min(by: { $0.seconds!.mean < $1.seconds!.mean }) else {
            return "conclusion: no policy reached \(target) with every seed"
        }
        var text = "conclusion: to reach \(target), \(best.policy.rawValue) is the fastest with every seed: \(seconds(best.seconds)) s"
        let uniform = times.first { $0.policy == .uniform }
        if best.policy == .uniform {
            text += "; no score-based policy beats uniform on time to accuracy here"
        } else if let uniform, let uniformTime = uniform.seconds {
            if uniform.reachedSeeds < seedCount {
                text += "; uniform reached it with \(uniform.reachedSeeds) of \(seedCount) seeds only, in \(seconds(uniformTime)) s over those"
            } else {
                text += " against uniform's \(seconds(uniformTime)) s"
                text += best.seconds!.upper >= uniformTime.lower ? " (the intervals overlap: not a clear win)" : ""
            }
        } else if uniform != nil {
            text += "; uniform never reached it"
        }
        return text + "."
    }

    static func write(_ report: ComparisonReport, controllerName: String?, configuration: [(String, String)], to directory: String) throws {
        var csv = CSVTable(header: ["policy", "runs", "test_accuracy_mean", "test_accuracy_sd", "test_accuracy_ci_low", "test_accuracy_ci_high",
                                    "train_seconds_mean", "train_seconds_sd", "measured_speedup_mean", "measured_speedup_ci_low", "measured_speedup_ci_high", "bound", "bound_breached", "bound_breach_within_spread",
                                    "samples_forwarded_mean", "samples_backpropagated_mean", "samples_refreshed_mean", "flops_mean", "compute_saved",
                                    "seconds_forward", "seconds_select", "seconds_backward", "seconds_update",
                                    "seconds_to_reach_mean", "seeds_reached", "accuracy_at_budget_mean", "activation_rate_mean", "activation_rate_sd"])
        for summary in report.summaries {
            csv.append([
                summary.policy.rawValue, String(summary.accuracy.count), NumberText.format(summary.accuracy.mean),
                NumberText.format(summary.accuracy.standardDeviation), NumberText.format(summary.accuracy.lower),
                NumberText.format(summary.accuracy.upper), NumberText.format(summary.trainSeconds.mean),
                NumberText.format(summary.trainSeconds.standardDeviation), NumberText.format(summary.measuredSpeedup?.mean),
                NumberText.format(summary.measuredSpeedup?.lower), NumberText.format(summary.measuredSpeedup?.upper),
                NumberText.format(summary.bound), summary.breachesBound ? "1" : "0", summary.breachIsWithinSpread ? "1" : "0",
                NumberText.format(summary.samplesForwarded),
                NumberText.format(summary.samplesBackpropagated), NumberText.format(summary.samplesRefreshed),
                NumberText.format(summary.operations), NumberText.format(summary.computeSaved),
                NumberText.format(summary.seconds.forward), NumberText.format(summary.seconds.select),
                NumberText.format(summary.seconds.backward), NumberText.format(summary.seconds.update),
                NumberText.format(summary.secondsToReach?.mean), String(summary.reachedSeeds),
                NumberText.format(summary.accuracyAtBudget?.mean), NumberText.format(summary.activationRateMean),
                NumberText.format(summary.activationRateStandardDeviation),
            ])
        }
        var curves = CSVTable(header: ["policy", "seed", "train_seconds", "epoch", "accuracy", "loss"])
        for run in report.runs {
            for point in run.result.epochs.flatMap(\.curve) {
                curves.append([run.policy.rawValue, String(run.seed), NumberText.format(point.trainSeconds), NumberText.format(point.epoch),
                               NumberText.format(point.accuracy), NumberText.format(point.loss)])
            }
            try TrainingWriters.write(epochs: run.result.epochs, options: run.result.options,
                                      controllerName: run.policy.usesController ? controllerName : nil, status: "completed",
                                      to: directory + "/" + run.policy.rawValue + "/seed-\(run.seed)")
        }
        try AtomicFile.write(csv.render(), to: directory + "/compare.csv")
        try AtomicFile.write(curves.render(), to: directory + "/curves.csv")
        try AtomicFile.writeJSON(report, to: directory + "/compare.json")
        var html = HTMLReport(title: "ast compare")
        html.heading("Run configuration")
        html.table(header: ["setting", "value"], rows: configuration.map { [$0.0, $0.1] })
        section(report, into: &html)
        try AtomicFile.write(html.render(), to: directory + "/report.html")
    }

    /// The comparison as report blocks (also used by `demo`).
    static func section(_ report: ComparisonReport, into html: inout HTMLReport) {
        html.paragraph(conclusion(report))
        for warning in report.warnings { html.warning("WARNING: " + warning) }
        html.table(header: header, rows: rows(report))
        html.paragraph("Intervals are 95 % Student-t over \(report.seeds.count) random seed(s) (\(report.seeds.map(String.init).joined(separator: ", "))). "
                       + "Bound: " + (report.summaries.first?.boundNote ?? "") + ". Speedup = train seconds of full / of the policy, same seed, "
                       + "both measured in this run (training loop only; evaluation excluded). Compute saved = 1 − FLOPs / FLOPs of full training. "
                       + "Time to reach: train seconds until the curve first reaches "
                       + (report.reachAccuracy.map { NumberText.fixed($0 * 100, 2) + " %" } ?? "-") + " (\(report.reachSource)); "
                       + "accuracy at equal time: the curve at " + (report.budgetSeconds.map { NumberText.fixed($0, 1) } ?? "-")
                       + " s of training, the shortest policy's mean.")
        let policies = report.summaries.map(\.policy)
        html.figure(svg: SVGRenderer.render(TrainingWriters.comparisonCharts(report), width: 1000, panelHeight: 300),
                    caption: "Top: curve accuracy against training seconds, mean over seeds (line) with min–max across seeds (band). "
                    + "Middle: the same against epochs. Bottom: the controlled policies' per-batch back-propagated share (dots, first seed) "
                    + "and its 50-batch moving average (line), with the target ± 1 point. CSV: curves.csv, <policy>/seed-N/batches.csv. Policies: "
                    + policies.map(\.rawValue).joined(separator: ", ") + ".")
    }
}

/// The facts a report states about its run, so a small run never looks like the real one.
enum RunConfiguration {
    static func describe(training: TrainingArguments, dataset: Dataset, seeds: [UInt64]) -> [(String, String)] {
        describe(options: (try? training.options(policy: .full)) ?? TrainingOptions(), dataset: dataset, seeds: seeds)
    }

    static func describe(options: TrainingOptions, dataset: Dataset, seeds: [UInt64]) -> [(String, String)] {
        [
            ("data", "\(dataset.name) from \(options.dataSource ?? "unrecorded")"),
            ("training images", String(min(dataset.train.count, options.trainLimit ?? .max))),
            ("test images", String(min(dataset.test.count, options.testLimit ?? .max))),
            ("epochs", String(options.epochs)),
            ("batch size", String(options.batchSize)),
            ("learning rate", "\(options.learningRate), warm-up \(options.warmupSteps) steps, scaling \(options.learningRateScaling.rawValue)"),
            ("random seeds", seeds.map(String.init).joined(separator: ", ")),
            ("target rate", String(options.targetRate)),
            ("threads", String(options.threads)),
            ("CPU", machineDescription()),
            ("git commit", gitCommit()),
            ("date", ISO8601DateFormatter().string(from: Date())),
        ]
    }

    static func machineDescription() -> String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown"
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }

    static func gitCommit() -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            return "unknown (git not available)"
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown (not a git checkout)"
    }
}
