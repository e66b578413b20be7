import ASTTrain
import Foundation
import Testing

extension TrainingRuns {
    /// Checkpoint files that are not what they claim: plain-words errors, never a raw
    /// file-system error object, and sizes from the header that cannot trap (issue 11).
    @Suite struct CheckpointInputTests {
        static func temporaryPath(_ name: String) -> String {
            NSTemporaryDirectory() + "ast-checkpoint-input-\(getpid())-\(name)"
        }

        @Test func aMissingCheckpointSaysSo() {
            let path = Self.temporaryPath("absent.ckpt")
            #expect {
                _ = try Trainer.readCheckpoint(at: path)
            } throws: { error in
                let text = "\(error)"
                return text == "cannot read checkpoint \(path): No such file or directory" && !text.contains("Domain")
            }
        }

        @Test func aDirectoryInPlaceOfACheckpointSaysSo() throws {
            let path = Self.temporaryPath("directory.ckpt")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                _ = try Trainer.readCheckpoint(at: path)
            } throws: { error in
                "\(error)" == "cannot read checkpoint \(path): it is a directory, not a checkpoint file"
            }
        }

        /// A real checkpoint's bytes with the header's `parameterSizes` replaced.
        static func checkpoint(parameterSizes replacement: String) throws -> [UInt8] {
            let trainer = try Trainer(dataset: syntheticDataset(), options: tinyOptions(.full, epochs: 1))
            let path = temporaryPath("sizes.ckpt")
            defer { unlink(path) }
            try trainer.saveCheckpoint(to: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let length = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
            var header = String(decoding: bytes[16..<(16 + length)], as: UTF8.self)
            let range = try #require(header.range(of: #""parameterSizes":\[[0-9,]*\]"#, options: .regularExpression))
            header.replaceSubrange(range, with: "\"parameterSizes\":\(replacement)")
            let newHeader = Array(header.utf8)
            let newLength = UInt32(newHeader.count)
            var result = Array(bytes[0..<12])
            for shift in stride(from: 0, to: 32, by: 8) { result.append(UInt8(truncatingIfNeeded: newLength >> UInt32(shift))) }
            return result + newHeader + bytes[(16 + length)...]
        }

        @Test(arguments: ["[4611686018427387904]", "[-3,5]", "[9223372036854775807,9223372036854775807]"])
        func impossibleTensorSizesAreRefusedWithoutTrapping(sizes: String) throws {
            let bytes = try Self.checkpoint(parameterSizes: sizes)
            #expect {
                _ = try Trainer.parseCheckpoint(bytes, path: "x.ckpt")
            } throws: { error in
                guard case .malformedHeader(_, let reason) = error as? CheckpointError else { return false }
                return reason.contains("does not fit")
            }
        }
    }
}
