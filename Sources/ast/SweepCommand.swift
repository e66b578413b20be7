import ArgumentParser
import ASTReport
import ASTSim
import Foundation
import PIControl

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a (Kp, Ki[, α]) grid over several seeds with common random numbers; write sweep.csv and heatmap.svg."
    )

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @OptionGroup var controllerOptions: ControllerOptions

    // `.unconditional`: a value such as `-1:1:3` is the grid, not an unknown option, so the
    // message can say why a negative gain is refused.
    @Option(parsing: .unconditional, help: "Kp grid LO:HI:N (gains >= 0).")
    var kp: String

    @Option(parsing: .unconditional, help: "Ki grid LO:HI:N (gains >= 0).")
    var ki: String

    @Option(parsing: .unconditional, help: "Optional α grid LO:HI:N (linear, within (0, 1]).")
    var alpha: String?

    @Flag(help: "Space Kp and Ki logarithmically.")
    var log = false

    @Option(help: "Seeds per grid point (1…N).")
    var seeds: Int = 5

    @Option(help: "Run shard I of N (I/N, numbered 1…N as in jest, Playwright and nextest), for spreading a sweep over machines; join with `ast merge`.")
    var shard: String?

    @Option(help: "Output directory.")
    var out: String = "out/sweep"

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be >= 1") }
        _ = try parsedShard()
        try OutputDirectory.check(out, flag: "--out")
    }

    /// The shard as (0-based index, count); the command line numbers shards from 1.
    func parsedShard() throws -> (Int, Int) {
        guard let shard else { return (0, 1) }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]), count >= 1 else {
            throw ValidationError("--shard must be I/N with 1 <= I <= N, got '\(shard)'")
        }
        guard number != 0 else {
            throw ValidationError("--shard numbers shards from 1: write 1/\(count) … \(count)/\(count), got '\(shard)'")
        }
        guard number >= 1, number <= count else {
            throw ValidationError("--shard must be I/N with 1 <= I <= N, got '\(shard)'")
        }
        return (number - 1, count)
    }

    func run() throws {
        let loaded = try ScenarioLoader.load(path: scenario)
        for note in loaded.notes { Diagnostics.note("note: \(note)") }
        let chosen = try controllerOptions.controller(target: loaded.target)
        if chosen == nil {
            Diagnostics.note("note: no --preset or --gains: sweeping the scenario's first controller, \(loaded.controllers[0].name)")
        }
        let base = chosen?.configuration ?? loaded.controllers[0].configuration
        let (shardIndex, shardCount) = try parsedShard()
        let kpAxis = try GridAxis.parse(kp, logarithmic: log, name: "--kp")
        let kiAxis = try GridAxis.parse(ki, logarithmic: log, name: "--ki")
        let alphaAxis = try alpha.map { try GridAxis.parse($0, logarithmic: false, name: "--alpha") }
        for (axis, flag) in [(kpAxis, "--kp"), (kiAxis, "--ki")] where axis.lower < 0 {
            throw InputError(file: nil, field: flag,
                             expected: "gains >= 0 (a negative gain reverses the feedback: the threshold would fall when too many samples pass)",
                             actual: "\(axis.lower)")
        }
        if let alphas = alphaAxis, alphas.lower <= 0 || alphas.upper > 1 {
            throw ValidationError("--alpha must lie in (0, 1], got \(alphas.lower):\(alphas.upper)")
        }
        // Before the seed list, the grid or any batch exists: their size is what is checked.
        let gridSize = SweepSpec.gridSize(kpAxis.count, kiAxis.count, alphaAxis?.count ?? 1)
        try Sweep.checkMemory(scenario: loaded, seeds: seeds,
                              gridPoints: gridSize.map { $0 / shardCount + ($0 % shardCount > shardIndex ? 1 : 0) })
        let spec = SweepSpec(
            proportionalGains: kpAxis, integralGains: kiAxis, emaAlphas: alphaAxis,
            seeds: (1...seeds).map(UInt64.init), base: base, scenarioName: loaded.name,
            shardIndex: shardIndex, shardCount: shardCount)
        // The stability boundary is drawn for the largest plant gain over the run.
        let point = try PlantModel.largestPlantGainPoint(scenario: loaded, configuration: base)
        let start = Date()
        let points = try Sweep.run(scenario: loaded, spec: spec, plantGain: point.plantGain)
        print("analytic boundary for the largest plant gain over the run: g = \(String(format: "%.4g", point.plantGain)) at θ_op = \(String(format: "%.4g", point.threshold))")
        let seconds = Date().timeIntervalSince(start)
        let manifest = SweepManifest(spec: spec, plantGain: point.plantGain, operatingThreshold: point.threshold)
        try SweepWriters.write(points: points, manifest: manifest, to: out)
        let runs = points.count * spec.seeds.count
        print("\(points.count) grid points × \(spec.seeds.count) seeds × \(loaded.steps) steps (B = \(loaded.batchSize)) in "
              + "\(NumberText.fixed(seconds, 2)) s: \(NumberText.fixed(Double(runs * loaded.steps) / seconds / 1e6, 2)) M simulated batches/s")
        print(SweepWriters.summary(points))
        print("wrote \(out)/sweep.csv, sweep.json" + (shardCount == 1 ? ", heatmap.svg" : " (shard \(shardIndex + 1)/\(shardCount); join with `ast merge`)"))
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join sweep shard directories into the result of the unsharded sweep."
    )

    @Argument(help: "Shard output directories (each with sweep.csv and sweep.json).")
    var directories: [String]

    @Option(help: "Output directory.")
    var out: String = "out/sweep-merged"

    func validate() throws {
        guard !directories.isEmpty else { throw ValidationError("give at least one shard directory") }
        try OutputDirectory.check(out, flag: "--out")
    }

    func run() throws {
        var shards: [(directory: String, manifest: SweepManifest, points: [SweepPoint])] = []
        for directory in directories {
            let manifest = try SweepManifest.load(path: directory + "/sweep.json")
            let csvPath = directory + "/sweep.csv"
            let csv = try InputFile.text(csvPath, what: "sweep table")
            shards.append((directory, manifest, try SweepTable.parse(csv, file: csvPath)))
        }
        let merged = try SweepMerge.merge(shards)
        try SweepWriters.write(points: merged.points, manifest: merged.manifest, to: out)
        print("merged \(shards.count) shards, \(merged.points.count) grid points")
        print("wrote \(out)/sweep.csv, sweep.json, heatmap.svg")
    }
}
