import CZlib
import Foundation
import Glibc
import PIControl

/// The checkpoint file format (version 2: the selection memory replaced the controller state), little-endian:
///
/// | offset | size | content |
/// |---|---|---|
/// | 0 | 8 | magic `ASTCKPT` followed by a zero byte |
/// | 8 | 4 | format version (UInt32, 2) |
/// | 12 | 4 | header length `n` (UInt32) |
/// | 16 | n | header: JSON of ``CheckpointHeader`` (UTF-8) |
/// | 16+n | 4·Σsizes | tensors as Float32: every parameter (network order), then the optimiser's state buffers |
/// | end−4 | 4 | CRC-32 (zlib) of every preceding byte (UInt32) |
///
/// It is written to a temporary file in the same directory and renamed over the target, so a
/// reader sees the old file or the new one, never a partial one.
public struct CheckpointHeader: Codable, Sendable {
    public var options: TrainingOptions
    public var epochsCompleted: Int
    public var stepIndex: Int
    /// Position in the data order of the next epoch: checkpoints are taken between epochs, so 0.
    public var batchPosition: Int
    public var optimizerStepCount: Int
    /// The selection policy's memory: controller state, random stream, stale scores, losses.
    public var selection: SelectionMemory
    public var history: [EpochMetrics]
    public var parameterNames: [String]
    public var parameterSizes: [Int]
    public var optimizerStateSizes: [Int]
}

enum CheckpointFormat {
    static let magic: [UInt8] = Array("ASTCKPT".utf8) + [0]
    static let version: UInt32 = 2

    static func crc(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let value = crc32(0, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
        return UInt32(truncatingIfNeeded: value)
    }

    static func appendUInt32(_ value: UInt32, to data: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// A header decoding failure in words, naming the field (no Swift type names).
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        guard let error = error as? DecodingError else { return "the header is not valid JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "field '\(path(context.codingPath))' has the wrong type"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the header is not valid JSON" }
            let reason = (context.underlyingError as? ConfigurationError).map { ": \($0.description)" } ?? " is invalid"
            return "field '\(path(context.codingPath))'\(reason)"
        @unknown default:
            return "the header cannot be decoded"
        }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
        return value
    }
}

extension Trainer {
    /// Saves everything needed to continue bit-for-bit: weights, optimiser state, controller
    /// state, the selection generator, epochs done, the schedule's step and the history.
    /// - Parameter path: The file to write (replaced atomically).
    /// - Throws: ``CheckpointError/writeFailed(path:reason:)``.
    public func saveCheckpoint(to path: String) throws(CheckpointError) {
        let optimizerState = engine.optimizer.stateSnapshot()
        let header = CheckpointHeader(
            options: options, epochsCompleted: epochsCompleted, stepIndex: stepIndex, batchPosition: 0,
            optimizerStepCount: optimizerState.stepCount, selection: selector.snapshot, history: history,
            parameterNames: network.parameters.map(\.name), parameterSizes: network.parameters.map(\.count),
            optimizerStateSizes: engine.optimizer.stateSizes)
        let headerBytes: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            headerBytes = try encoder.encode(header)
        } catch {
            throw .writeFailed(path: path, reason: "cannot encode the header: \(error)")
        }
        var bytes = CheckpointFormat.magic
        CheckpointFormat.appendUInt32(CheckpointFormat.version, to: &bytes)
        CheckpointFormat.appendUInt32(UInt32(headerBytes.count), to: &bytes)
        bytes.append(contentsOf: headerBytes)
        for tensor in network.parameters.map({ $0.values.toArray() }) + optimizerState.buffers {
            for value in tensor { CheckpointFormat.appendUInt32(value.bitPattern, to: &bytes) }
        }
        let checksum = bytes.withUnsafeBytes { CheckpointFormat.crc($0) }
        CheckpointFormat.appendUInt32(checksum, to: &bytes)

        let temporary = path + ".tmp-\(getpid())"
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw .writeFailed(path: path, reason: "\(error)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .writeFailed(path: path, reason: "rename: \(reason)")
        }
    }

    /// Reads and validates a checkpoint without applying it.
    /// - Parameter path: The file.
    /// - Returns: The header and the tensors (parameters, then optimiser state).
    /// - Throws: ``CheckpointError`` for unreadable, truncated, corrupt or malformed files.
    public static func readCheckpoint(at path: String) throws(CheckpointError) -> (header: CheckpointHeader, tensors: [[Float]]) {
        let bytes: [UInt8]
        do {
            bytes = try DataFileReader.readAll(path)
        } catch {
            // Plain words, not the file system's error object.
            var status = stat()
            let isDirectory = stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
            let reason: String = switch error.problem {
            case .unreadable(let reason): reason
            case .notRegularFile: isDirectory ? "it is a directory, not a checkpoint file" : "not a regular file"
            default: error.description
            }
            throw .unreadable(path: path, reason: reason)
        }
        return try parseCheckpoint(bytes, path: path)
    }

    /// Validates checkpoint bytes already in memory (``readCheckpoint(at:)`` after the read).
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - path: The file, for messages.
    /// - Returns: The header and the tensors (parameters, then optimiser state).
    /// - Throws: ``CheckpointError`` for truncated, corrupt or malformed bytes.
    public static func parseCheckpoint(_ bytes: [UInt8], path: String) throws(CheckpointError) -> (header: CheckpointHeader, tensors: [[Float]]) {
        guard bytes.count >= 20 else { throw .truncated(path: path, expectedBytes: 20, actualBytes: bytes.count) }
        guard Array(bytes[0..<8]) == CheckpointFormat.magic else { throw .badMagic(path: path) }
        let version = CheckpointFormat.readUInt32(bytes, at: 8)
        guard version == CheckpointFormat.version else { throw .unsupportedVersion(path: path, version: version) }
        let headerLength = Int(CheckpointFormat.readUInt32(bytes, at: 12))
        guard bytes.count >= 16 + headerLength + 4 else {
            throw .truncated(path: path, expectedBytes: 16 + headerLength + 4, actualBytes: bytes.count)
        }
        let header: CheckpointHeader
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            header = try decoder.decode(CheckpointHeader.self, from: Data(bytes[16..<(16 + headerLength)]))
        } catch {
            // A damaged header usually means a damaged file: report the checksum if it fails.
            let stored = CheckpointFormat.readUInt32(bytes, at: bytes.count - 4)
            let computed = bytes.withUnsafeBytes { CheckpointFormat.crc(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
            if stored != computed { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
            throw .malformedHeader(path: path, reason: CheckpointFormat.describe(error))
        }
        let sizes = header.parameterSizes + header.optimizerStateSizes
        // The sizes come from the file: each must be non-negative and their byte total must
        // fit the file, checked without overflow (a header may claim 2^62 floats).
        var tensorBytes = 0
        for size in sizes {
            let (bytesOfTensor, overflow) = size.multipliedReportingOverflow(by: 4)
            guard size >= 0, !overflow, bytesOfTensor <= bytes.count - tensorBytes else {
                throw .malformedHeader(path: path, reason: "a tensor size of \(size) floats does not fit a \(bytes.count)-byte file")
            }
            tensorBytes += bytesOfTensor
        }
        let expected = 16 + headerLength + tensorBytes + 4
        guard bytes.count == expected else {
            if bytes.count < expected { throw .truncated(path: path, expectedBytes: expected, actualBytes: bytes.count) }
            throw .malformedHeader(path: path, reason: "\(bytes.count - expected) unexpected trailing bytes")
        }
        let stored = CheckpointFormat.readUInt32(bytes, at: expected - 4)
        let computed = bytes.withUnsafeBytes { CheckpointFormat.crc(UnsafeRawBufferPointer(rebasing: $0[0..<(expected - 4)])) }
        guard stored == computed else { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
        var tensors: [[Float]] = []
        var offset = 16 + headerLength
        for size in sizes {
            tensors.append((0..<size).map { Float(bitPattern: CheckpointFormat.readUInt32(bytes, at: offset + 4 * $0)) })
            offset += 4 * size
        }
        return (header, tensors)
    }

    /// Continues a run from a checkpoint: the options come from the file.
    /// - Parameters:
    ///   - path: The checkpoint.
    ///   - dataset: The same dataset the run used.
    ///   - epochs: A new total of epochs (to extend the run), or `nil` for the saved one.
    /// - Returns: A trainer positioned after the saved epoch.
    /// - Throws: ``TrainingError/checkpoint(_:)`` for a refused file.
    public static func resuming(from path: String, dataset: Dataset, epochs: Int? = nil) throws(TrainingError) -> Trainer {
        let checkpoint: (header: CheckpointHeader, tensors: [[Float]])
        do {
            checkpoint = try readCheckpoint(at: path)
        } catch {
            throw .checkpoint(error)
        }
        let header = checkpoint.header
        var options = header.options
        if let epochs { options.epochs = epochs }
        let trainer = try Trainer(dataset: dataset, options: options)
        let parameters = trainer.network.parameters
        guard header.parameterSizes == parameters.map(\.count), header.parameterNames == parameters.map(\.name) else {
            throw .checkpoint(.incompatible(path: path, reason: "the saved parameters do not match this network"))
        }
        for (parameter, values) in zip(parameters, checkpoint.tensors) { parameter.values.copy(from: values) }
        let optimizerBuffers = Array(checkpoint.tensors.dropFirst(parameters.count))
        guard trainer.engine.optimizer.restore(stepCount: header.optimizerStepCount, buffers: optimizerBuffers) else {
            throw .checkpoint(.incompatible(path: path, reason: "the optimiser state does not match the optimiser"))
        }
        guard trainer.selector.restore(header.selection) else {
            throw .checkpoint(.incompatible(path: path, reason: "the saved selection state does not fit policy \(options.policy.rawValue) on \(trainer.trainCount) samples"))
        }
        trainer.history = header.history
        trainer.stepIndex = header.stepIndex
        return trainer
    }
}
