import Foundation

/// Recorded per-sample scores grouped into batches: the `batch,score` CSV that
/// `ast train --record-scores` writes and `ast replay` reads.
public struct ScoreTrace: Sendable, Equatable {
    /// Scores of each batch, in file order.
    public var batches: [[Double]]

    public init(batches: [[Double]]) { self.batches = batches }

    /// Scores in all batches.
    public var sampleCount: Int { batches.reduce(0) { $0 + $1.count } }

    /// Scores that are NaN, and that are ±infinity: the gate rejects both, so a replay's rate
    /// is over the finite ones and a report must say how many were left out.
    public var nonFiniteCounts: (nan: Int, infinite: Int) {
        var nan = 0, infinite = 0
        for batch in batches {
            for score in batch where !score.isFinite {
                if score.isNaN { nan += 1 } else { infinite += 1 }
            }
        }
        return (nan, infinite)
    }

    /// Reads a score trace file.
    /// - Throws: ``InputError`` naming the file, line and field.
    public static func load(path: String) throws(InputError) -> ScoreTrace {
        try parse(InputFile.text(path, what: "score trace"), file: path)
    }

    /// Parses `batch,score` CSV. Rows of a batch must be contiguous; batch ids are any
    /// integers; a score may be `nan` or `inf` (the controller rejects such scores).
    /// - Parameters:
    ///   - text: The CSV text (a UTF-8 byte-order mark is ignored).
    ///   - file: The file's path, named in errors.
    public static func parse(_ text: String, file: String) throws(InputError) -> ScoreTrace {
        let text = InputFile.withoutByteOrderMark(text)
        var batches: [[Double]] = []
        var seen = Set<Int>()
        var currentBatch: Int? = nil
        var lineNumber = 0
        var sawHeader = false
        // Split on any newline: Swift treats "\r\n" as one Character, so splitting on "\n"
        // alone would leave a CRLF file as a single line.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if !sawHeader {
                guard fields == ["batch", "score"] else {
                    throw InputError(file: file, line: lineNumber, field: "header", expected: "the header 'batch,score'", actual: "'\(line)'")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 2 else {
                throw InputError(file: file, line: lineNumber, field: "", expected: "2 fields (batch,score)", actual: "\(fields.count) fields")
            }
            guard let batch = Int(fields[0]) else {
                throw InputError(file: file, line: lineNumber, field: "batch", expected: "an integer", actual: "'\(fields[0])'")
            }
            guard let score = Double(fields[1]) else {
                throw InputError(file: file, line: lineNumber, field: "score", expected: "a number", actual: "'\(fields[1])'")
            }
            if batch != currentBatch {
                guard !seen.contains(batch) else {
                    throw InputError(file: file, line: lineNumber, field: "batch",
                                     expected: "contiguous rows for each batch (a batch once, all its rows together)",
                                     actual: "batch \(batch) again after other batches")
                }
                seen.insert(batch)
                currentBatch = batch
                batches.append([])
            }
            batches[batches.count - 1].append(score)
        }
        guard sawHeader else { throw InputError(file: file, field: "", expected: "a score trace (batch,score rows)", actual: "an empty file") }
        guard !batches.isEmpty else {
            throw InputError(file: file, field: "", expected: "score rows after the header", actual: "no score rows")
        }
        return ScoreTrace(batches: batches)
    }
}
