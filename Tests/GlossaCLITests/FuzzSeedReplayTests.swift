import Foundation
import XCTest

/// The fuzz targets (Fuzz/glossa-fuzz) on their committed seed corpora, and on the inputs that once
/// failed (Fuzz/regressions), in the ordinary build: what `make fuzz` checks with libFuzzer, for
/// the inputs we keep.
final class FuzzSeedReplayTests: XCTestCase {
    func testEveryTargetPassesItsSeedsAndRegressions() throws {
        let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz").path
        let binary = glossaBinary().deletingLastPathComponent().appendingPathComponent("glossa-fuzz")
        for target in ["csv", "tokenizer", "model-file", "vocabulary", "bpe-codes"] {
            let folders = ["seeds", "regressions"].map { "\(fuzz)/\($0)/\(target)" }.filter { FileManager.default.fileExists(atPath: $0) }
            let process = Process()
            process.executableURL = binary
            process.arguments = [target] + folders
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(target): \(message)")
            XCTAssertEqual(process.terminationReason, .exit, "\(target): \(message)")
        }
    }
}
