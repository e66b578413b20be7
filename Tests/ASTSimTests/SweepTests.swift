import Foundation
import Testing
import ASTSim
import PIControl

/// Grid axes, sweep specs, sharding and merging, and the sweep table format.
@Suite struct SweepTests {
    static func axisError(_ text: String, log: Bool) -> InputError? {
        do {
            _ = try GridAxis.parse(text, logarithmic: log, name: "--kp")
            Issue.record("expected an error for '\(text)'")
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("1:1:3", false, "LO < HI for more than 1 point"), ("3:1:3", false, "LO <= HI"), ("0:1:3", true, "positive bounds (a log scale)"),
        ("-1:1:3", true, "positive bounds (a log scale)"), ("abc", false, "LO:HI:N (e.g. 0.01:10:32)"), ("1:2", false, "LO:HI:N (e.g. 0.01:10:32)"),
        ("1:2:x", false, "LO:HI:N (e.g. 0.01:10:32)"), ("1:2:3:4", false, "LO:HI:N (e.g. 0.01:10:32)"),
        ("1:2:0", false, "at least 1 point"), ("nan:2:3", false, "finite bounds"),
    ])
    func gridAxisParseErrors(text: String, log: Bool, expected: String) throws {
        let error = try #require(Self.axisError(text, log: log))
        #expect(error.field == "--kp")
        #expect(error.file == nil)   // a command-line option
        #expect(error.line == nil)
        #expect(error.expected == expected, "\(error)")
        #expect(!error.actual.isEmpty)
    }

    @Test func gridAxisValues() throws {
        // Log: 0.01 … 10 in 4 points is one decade apart.
        let log = try GridAxis.parse("0.01:10:4", logarithmic: true, name: "ki").values
        for (value, expected) in zip(log, [0.01, 0.1, 1, 10]) { #expect(abs(value / expected - 1) < 1e-12) }
        #expect(log.count == 4)
        #expect(try GridAxis.parse("0:1:5", logarithmic: false, name: "kp").values == [0, 0.25, 0.5, 0.75, 1])
        // One point: the lower bound; an equal range is fine then.
        #expect(try GridAxis.parse("2:2:1", logarithmic: true, name: "kp").values == [2])
    }

    static func spec(shard: Int = 0, of shards: Int = 1, seeds: [UInt64] = [1, 2]) throws -> SweepSpec {
        try SweepSpec(
            proportionalGains: GridAxis(lower: 0.5, upper: 2, count: 3, logarithmic: true),
            integralGains: GridAxis(lower: 0.1, upper: 1, count: 3, logarithmic: true),
            emaAlphas: nil, seeds: seeds, base: Preset.velocityPI.configuration(target: 0.1),
            scenarioName: "test-lognormal", shardIndex: shard, shardCount: shards)
    }

    @Test func pointIndexingKpFastestThenKiThenAlpha() throws {
        let spec = try SweepSpec(
            proportionalGains: GridAxis(lower: 1, upper: 3, count: 3, logarithmic: false),
            integralGains: GridAxis(lower: 10, upper: 20, count: 2, logarithmic: false),
            emaAlphas: GridAxis(lower: 0.5, upper: 1, count: 2, logarithmic: false),
            seeds: [1], base: Preset.velocityPI.configuration(target: 0.1), scenarioName: "s")
        #expect(spec.gridSize == 12)
        func gains(_ index: Int) -> [Double] { let p = spec.point(index); return [p.proportionalGain, p.integralGain, p.emaAlpha] }
        #expect(gains(0) == [1, 10, 0.5])
        #expect(gains(2) == [3, 10, 0.5])
        #expect(gains(4) == [2, 20, 0.5])     // 4 = 1 + 3·1
        #expect(gains(6) == [1, 10, 1])       // second α layer
        #expect(gains(11) == [3, 20, 1])
        // No α axis: the base configuration's α (velocityPI: 0.5).
        let flat = try Self.spec()
        #expect(flat.gridSize == 9)
        #expect(flat.point(8).emaAlpha == 0.5)
        var sharded = spec
        sharded.shardIndex = 1
        sharded.shardCount = 3
        #expect(sharded.shardIndices == [1, 4, 7, 10])
        #expect(sharded.unsharded == spec)
    }

    static let scenario = Fixtures.lognormalScenario(steps: 300, batchSize: 64, window: 20)

    @Test func shardedSweepMergesToTheUnshardedOne() throws {
        let whole = try Sweep.run(scenario: Self.scenario, spec: Self.spec(), plantGain: 0.0487)
        #expect(whole.map(\.index) == Array(0..<9))
        #expect(whole.allSatisfy { $0.seeds == 2 && $0.predictedStable != nil })
        var shards: [(directory: String, manifest: SweepManifest, points: [SweepPoint])] = []
        for shard in 0..<3 {
            let spec = try Self.spec(shard: shard, of: 3)
            let points = try Sweep.run(scenario: Self.scenario, spec: spec, plantGain: 0.0487)
            #expect(points.map(\.index) == Array(stride(from: shard, to: 9, by: 3)))
            shards.append(("shard\(shard)", SweepManifest(spec: spec, plantGain: 0.0487, operatingThreshold: 3.6), points))
        }
        let merged = try SweepMerge.merge(shards.reversed())
        #expect(merged.points == whole)
        #expect(SweepTable.render(merged.points) == SweepTable.render(whole))
        #expect(merged.manifest.spec == (try Self.spec()))
        #expect(merged.manifest.plantGain == 0.0487)
    }

    @Test func tableRoundTrips() throws {
        let points = [
            makePoint(index: 0, proportionalGain: 0.1, integralGain: 1e-5, emaAlpha: 1, settlingTimeMean: 123.5,
                       settlingTimeStd: 0.7071067811865476, steadyStateErrorMean: -0.0012345678901234567,
                       steadyStateErrorStd: 3e-300, overshootMean: 0, fractionSaturatedMean: 0.25, settledSeeds: 2,
                       seeds: 2, predictedStable: true),
            makePoint(index: 1, proportionalGain: 2.0 / 3.0, integralGain: 12345.678, emaAlpha: 0.3,
                       settlingTimeMean: nil, settlingTimeStd: nil, steadyStateErrorMean: 0.1, steadyStateErrorStd: 0,
                       overshootMean: 0.05, fractionSaturatedMean: 1, settledSeeds: 0, seeds: 3, predictedStable: nil),
            makePoint(index: 2, proportionalGain: 1, integralGain: 1, emaAlpha: 1, settlingTimeMean: 5, settlingTimeStd: 0,
                       steadyStateErrorMean: 0, steadyStateErrorStd: 0, overshootMean: 0, fractionSaturatedMean: 0,
                       settledSeeds: 1, seeds: 2, predictedStable: false),
        ]
        let text = SweepTable.render(points)
        #expect(text.hasPrefix(SweepTable.header.joined(separator: ",") + "\n"))
        #expect(text.split(separator: "\n").count == 4)
        #expect(try SweepTable.parse(text, file: "sweep.csv") == points)
    }

    @Test func tableParseErrorsNameLineAndColumn() throws {
        let good = SweepTable.render([makePoint(index: 0, proportionalGain: 1, integralGain: 1, emaAlpha: 1,
                                                 settlingTimeMean: nil, settlingTimeStd: nil, steadyStateErrorMean: 0,
                                                 steadyStateErrorStd: 0, overshootMean: 0, fractionSaturatedMean: 0,
                                                 settledSeeds: 0, seeds: 1, predictedStable: nil)])
        let bad = good.replacingOccurrences(of: "\n0,1.0,", with: "\n0,one,")
        do {
            _ = try SweepTable.parse(bad, file: "sweep.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.field == "kp")
        }
        #expect(throws: InputError.self) { try SweepTable.parse("index,kp\n", file: "sweep.csv") }
        #expect(throws: InputError.self) { try SweepTable.parse("", file: "sweep.csv") }
    }

    /// Rows for grid points `indices` of `spec`, with the grid's gains (merge checks them).
    static func fakePoints(_ indices: [Int], of spec: SweepSpec) -> [SweepPoint] {
        indices.map {
            let gains = spec.point($0)
            return makePoint(index: $0, proportionalGain: gains.proportionalGain, integralGain: gains.integralGain,
                             emaAlpha: gains.emaAlpha, settlingTimeMean: nil, settlingTimeStd: nil,
                             steadyStateErrorMean: 0, steadyStateErrorStd: 0, overshootMean: 0, fractionSaturatedMean: 0,
                             settledSeeds: 0, seeds: spec.seeds.count, predictedStable: nil)
        }
    }

    static func shard(_ index: Int, of count: Int, points: [Int], seeds: [UInt64] = [1, 2]) throws
        -> (directory: String, manifest: SweepManifest, points: [SweepPoint])
    {
        let spec = try spec(shard: index, of: count, seeds: seeds)
        return ("d\(index)", SweepManifest(spec: spec, plantGain: nil, operatingThreshold: nil), fakePoints(points, of: spec))
    }

    /// A row whose gains are not the grid's (a NaN, a hand edit, a shard of another sweep) is
    /// refused with its file, line and column (issue 11, item 10).
    @Test(arguments: [("kp", Double.nan), ("ki", 123.0), ("alpha", 0.123)])
    func mergeRejectsRowsOffTheGrid(column: String, value: Double) throws {
        var first = try Self.shard(0, of: 2, points: [0, 2, 4, 6, 8])
        switch column {
        case "kp": first.points[1].proportionalGain = value
        case "ki": first.points[1].integralGain = value
        default: first.points[1].emaAlpha = value
        }
        let second = try Self.shard(1, of: 2, points: [1, 3, 5, 7])
        do {
            _ = try SweepMerge.merge([first, second])
            Issue.record("expected a grid mismatch")
        } catch {
            #expect(error.file == "d0/sweep.csv")
            #expect(error.line == 3)
            #expect(error.field == column)
            #expect(error.expected.contains("grid point 2"))
            #expect(error.actual == "\(value)")
        }
    }

    @Test func mergeRejectsRowsWithOtherSeedCounts() throws {
        var first = try Self.shard(0, of: 2, points: [0, 2, 4, 6, 8])
        first.points[0].settledSeeds = 5
        do {
            _ = try SweepMerge.merge([first, try Self.shard(1, of: 2, points: [1, 3, 5, 7])])
            Issue.record("expected a seed-count error")
        } catch let error as InputError {
            #expect(error.field == "seeds")
            #expect(error.actual.contains("5 settled"))
        }
    }

    @Test func mergeRejectsOverlappingShards() throws {
        let shards = [try Self.shard(0, of: 2, points: [0, 2, 4, 6, 8]), try Self.shard(1, of: 2, points: [1, 3, 4, 5, 7])]
        do {
            _ = try SweepMerge.merge(shards)
            Issue.record("expected an overlap error")
        } catch {
            #expect(error.field == "index")
            #expect(error.actual == "grid point 4 again")
            #expect(error.file?.hasPrefix("d1") == true)
        }
    }

    @Test func mergeRejectsMissingPoints() throws {
        let shards = [try Self.shard(0, of: 3, points: [0, 3, 6]), try Self.shard(1, of: 3, points: [1, 4, 7])]
        do {
            _ = try SweepMerge.merge(shards)
            Issue.record("expected a missing-points error")
        } catch {
            #expect(error.field == "shards")
            #expect(error.actual == "3 grid points missing (first: 2)")
            #expect(error.expected.contains("all 9 grid points"))
        }
    }

    @Test func mergeRejectsMismatchedSpecs() throws {
        let shards = [try Self.shard(0, of: 2, points: [0, 2, 4, 6, 8]),
                      try Self.shard(1, of: 2, points: [1, 3, 5, 7], seeds: [1, 3])]
        do {
            _ = try SweepMerge.merge(shards)
            Issue.record("expected a spec mismatch")
        } catch {
            #expect(error.field == "spec")
            #expect(error.file == "d1/sweep.json")
        }
        #expect(throws: InputError.self) { try SweepMerge.merge([]) }
    }
}

/// `SweepPoint` has no public memberwise initialiser; build one through its `Codable` form.
/// Numbers are written in Swift's shortest round-trip form, so the values arrive exactly.
func makePoint(index: Int, proportionalGain: Double, integralGain: Double, emaAlpha: Double, settlingTimeMean: Double?,
               settlingTimeStd: Double?, steadyStateErrorMean: Double, steadyStateErrorStd: Double, overshootMean: Double,
               fractionSaturatedMean: Double, settledSeeds: Int, seeds: Int, predictedStable: Bool?) -> SweepPoint {
    var fields = [
        "\"index\": \(index)", "\"proportionalGain\": \(proportionalGain)", "\"integralGain\": \(integralGain)",
        "\"emaAlpha\": \(emaAlpha)", "\"steadyStateErrorMean\": \(steadyStateErrorMean)",
        "\"steadyStateErrorStd\": \(steadyStateErrorStd)", "\"overshootMean\": \(overshootMean)",
        "\"fractionSaturatedMean\": \(fractionSaturatedMean)", "\"settledSeeds\": \(settledSeeds)", "\"seeds\": \(seeds)",
    ]
    if let settlingTimeMean { fields.append("\"settlingTimeMean\": \(settlingTimeMean)") }
    if let settlingTimeStd { fields.append("\"settlingTimeStd\": \(settlingTimeStd)") }
    if let predictedStable { fields.append("\"predictedStable\": \(predictedStable)") }
    let point = try! JSONDecoder().decode(SweepPoint.self, from: Data(("{" + fields.joined(separator: ",") + "}").utf8))
    precondition(point.proportionalGain == proportionalGain && point.integralGain == integralGain
                 && point.steadyStateErrorMean == steadyStateErrorMean && point.settlingTimeStd == settlingTimeStd
                 && point.steadyStateErrorStd == steadyStateErrorStd, "JSON did not carry the exact values")
    return point
}
