import Foundation

/// The `sweep.csv` format: one row per grid point, numbers in shortest round-trip form so a
/// merged file is byte-identical to an unsharded one.
package enum SweepTable {
    package static let header = [
        "index", "kp", "ki", "alpha", "settling_time_mean", "settling_time_std", "steady_state_error_mean",
        "steady_state_error_std", "overshoot_mean", "fraction_saturated_mean", "settled_seeds", "seeds",
        "settled_all_seeds", "predicted_stable",
    ]

    package static func render(_ points: [SweepPoint]) -> String {
        var text = header.joined(separator: ",") + "\n"
        for point in points {
            let cells: [String] = [
                String(point.index), number(point.proportionalGain), number(point.integralGain), number(point.emaAlpha),
                point.settlingTimeMean.map(number) ?? "", point.settlingTimeStd.map(number) ?? "",
                number(point.steadyStateErrorMean), number(point.steadyStateErrorStd), number(point.overshootMean),
                number(point.fractionSaturatedMean), String(point.settledSeeds), String(point.seeds),
                point.settledAll ? "1" : "0", point.predictedStable.map { $0 ? "1" : "0" } ?? "",
            ]
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    static func number(_ value: Double) -> String {
        value.isNaN ? "nan" : "\(value)"
    }

    /// Parses a `sweep.csv`.
    /// - Throws: ``InputError`` naming the file, line and column.
    package static func parse(_ text: String, file: String) throws(InputError) -> [SweepPoint] {
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw InputError(file: file, field: "", expected: "a sweep table (sweep.csv)", actual: "an empty file") }
        let found = lines.removeFirst()
        guard found == header.joined(separator: ",") else {
            throw InputError(file: file, line: 1, field: "header", expected: "'\(header.joined(separator: ","))'", actual: "'\(found)'")
        }
        var points: [SweepPoint] = []
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 2
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == header.count else {
                throw InputError(file: file, line: lineNumber, field: "", expected: "\(header.count) fields", actual: "\(cells.count) fields")
            }
            func double(_ column: Int) throws(InputError) -> Double {
                guard let value = Double(cells[column]) else {
                    throw InputError(file: file, line: lineNumber, field: header[column], expected: "a number", actual: "'\(cells[column])'")
                }
                return value
            }
            func optionalDouble(_ column: Int) throws(InputError) -> Double? {
                cells[column].isEmpty ? nil : try double(column)
            }
            func int(_ column: Int) throws(InputError) -> Int {
                guard let value = Int(cells[column]) else {
                    throw InputError(file: file, line: lineNumber, field: header[column], expected: "an integer", actual: "'\(cells[column])'")
                }
                return value
            }
            points.append(SweepPoint(
                index: try int(0), proportionalGain: try double(1), integralGain: try double(2), emaAlpha: try double(3),
                settlingTimeMean: try optionalDouble(4), settlingTimeStd: try optionalDouble(5),
                steadyStateErrorMean: try double(6), steadyStateErrorStd: try double(7), overshootMean: try double(8),
                fractionSaturatedMean: try double(9), settledSeeds: try int(10), seeds: try int(11),
                predictedStable: cells[13].isEmpty ? nil : cells[13] == "1"))
        }
        return points
    }
}

/// The `sweep.json` beside a `sweep.csv`: the spec, so shards can be checked before merging.
package struct SweepManifest: Sendable, Codable, Equatable {
    package var spec: SweepSpec
    /// Plant gain used for the analytic boundary (nil when not analysed).
    package var plantGain: Double?
    package var operatingThreshold: Double?

    package init(spec: SweepSpec, plantGain: Double?, operatingThreshold: Double?) {
        self.spec = spec
        self.plantGain = plantGain
        self.operatingThreshold = operatingThreshold
    }

    /// Reads a shard's `sweep.json`.
    /// - Throws: ``InputError`` naming the file and the field.
    package static func load(path: String) throws(InputError) -> SweepManifest {
        let data = try InputFile.read(path, what: "sweep manifest")
        do {
            return try JSONDecoder().decode(SweepManifest.self, from: data)
        } catch let error as DecodingError {
            throw DecodingErrorText.inputError(error, file: path, line: nil)
        } catch {
            throw InputError(file: path, field: "", expected: "a sweep manifest (sweep.json)", actual: "\(error)")
        }
    }
}

/// Joins shard outputs into the result of the unsharded sweep.
package enum SweepMerge {
    /// - Parameter shards: Each shard's manifest and points, with the directory for messages.
    /// - Returns: The merged manifest (unsharded spec) and every point in index order.
    /// - Throws: ``InputError`` when shards disagree on the spec, overlap, or leave points out.
    package static func merge(_ shards: [(directory: String, manifest: SweepManifest, points: [SweepPoint])]) throws(InputError)
        -> (manifest: SweepManifest, points: [SweepPoint])
    {
        guard let first = shards.first else {
            throw InputError(file: nil, field: "", expected: "at least one shard directory", actual: "none given")
        }
        let spec = first.manifest.spec.unsharded
        var byIndex: [Int: SweepPoint] = [:]
        for shard in shards {
            guard shard.manifest.spec.unsharded == spec else {
                throw InputError(file: shard.directory + "/sweep.json", field: "spec",
                                 expected: "the grid, seeds, scenario and controller of \(first.directory)/sweep.json",
                                 actual: "a shard whose spec differs")
            }
            for (row, point) in shard.points.enumerated() {
                let file = shard.directory + "/sweep.csv", line = row + 2
                guard point.index >= 0, point.index < spec.gridSize else {
                    throw InputError(file: file, line: line, field: "index", expected: "a grid index in 0..<\(spec.gridSize)", actual: "\(point.index)")
                }
                // The row must be the grid point sweep.json says it is, and its counts must add up.
                let gains = spec.point(point.index)
                for (name, value, expected) in [("kp", point.proportionalGain, gains.proportionalGain),
                                                ("ki", point.integralGain, gains.integralGain),
                                                ("alpha", point.emaAlpha, gains.emaAlpha)] where value != expected {
                    throw InputError(file: file, line: line, field: name,
                                     expected: "\(expected), grid point \(point.index)'s \(name) in sweep.json", actual: "\(value)")
                }
                guard point.seeds == spec.seeds.count, point.settledSeeds >= 0, point.settledSeeds <= point.seeds else {
                    throw InputError(file: file, line: line, field: "seeds",
                                     expected: "the \(spec.seeds.count) seeds sweep.json ran, of which 0 to \(spec.seeds.count) settled",
                                     actual: "grid point \(point.index) reports \(point.settledSeeds) settled of \(point.seeds) seeds")
                }
                guard byIndex[point.index] == nil else {
                    throw InputError(file: shard.directory + "/sweep.csv", field: "index",
                                     expected: "each grid point in one shard only", actual: "grid point \(point.index) again")
                }
                byIndex[point.index] = point
            }
        }
        let missing = (0..<spec.gridSize).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(file: first.directory, field: "shards",
                             expected: "all \(spec.gridSize) grid points (are all shards present?)",
                             actual: "\(missing.count) grid points missing (first: \(missing[0]))")
        }
        let manifest = SweepManifest(spec: spec, plantGain: first.manifest.plantGain, operatingThreshold: first.manifest.operatingThreshold)
        return (manifest, (0..<spec.gridSize).map { byIndex[$0]! })
    }
}
