import Foundation
import TestSupport
import XCTest

/// What the non-training commands promise about their output files: SIGINT and SIGTERM exit 130 and
/// leave no temporary (issue 11 item 7), a full disk is reported as such (item 6), and vocab build's
/// two files are renamed only when both are complete (item 5).
final class OutputSafetyTests: XCTestCase {
    /// Starts glossa with a standard input that stays open, waits until its temporary output file
    /// exists, sends `signal`, and returns the exit status.
    func interrupted(_ arguments: [String], folder: TemporaryFolder, signal: Int32) throws -> Int32 {
        let process = Process()
        process.executableURL = glossaBinary()
        process.arguments = arguments
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(String(repeating: "some words to count\n", count: 1000).utf8))
        let deadline = Date().addingTimeInterval(30)
        while try !folder.names().contains(where: { $0.contains(".glossa-tmp-") }) && Date() < deadline { usleep(10_000) }
        XCTAssertTrue(try folder.names().contains(where: { $0.contains(".glossa-tmp-") }), "a temporary while running")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        XCTAssertEqual(process.terminationReason, .exit)
        return process.terminationStatus
    }

    func testSignalsDuringTokenizeAndVocabBuildExit130AndLeaveNoTemporary() throws {
        for signal in [SIGINT, SIGTERM] {
            let folder = try TemporaryFolder("signal")
            defer { folder.remove() }
            XCTAssertEqual(try interrupted(["tokenize", "-o", folder.path + "/out.txt"], folder: folder, signal: signal), 130)
            XCTAssertEqual(try folder.names(), [], "tokenize after signal \(signal)")
            XCTAssertEqual(try interrupted(["vocab", "build", "-", "--output", folder.path + "/vocab.txt"], folder: folder, signal: signal), 130)
            XCTAssertEqual(try folder.names(), [], "vocab build after signal \(signal)")
        }
    }

    func testStaleTemporaryOfAKilledRunIsRemovedByTheNextRun() throws {
        let folder = try TemporaryFolder("stale")
        defer { folder.remove() }
        let process = Process()
        process.executableURL = glossaBinary()
        process.arguments = ["tokenize", "-o", folder.path + "/out.txt"]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        while try folder.names().isEmpty { usleep(10_000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(try folder.names().count, 1, "SIGKILL leaves the temporary")
        XCTAssertEqual(try runGlossa(["tokenize", "-o", folder.path + "/out.txt"], stdin: "a b\n").status, 0)
        XCTAssertEqual(try folder.names(), ["out.txt"])
    }

    func testFullDiskIsReportedAndVocabularyFilesStayInStep() throws {
        let disk = try SmallDisk(kilobytes: 64)
        defer { disk.unmount() }
        let scratch = try TemporaryFolder("full-disk-input")
        defer { scratch.remove() }
        // About 44 KB of counts and 40 KB of vocabulary: either fits, both do not.
        let corpus = scratch.path + "/corpus.txt"
        try (0..<4000).map { "word\($0)" }.joined(separator: " ").write(toFile: corpus, atomically: true, encoding: .utf8)
        let vocabulary = disk.path + "/vocab.txt", counts = disk.path + "/vocab.counts.tsv"
        try "old vocabulary\n".write(toFile: vocabulary, atomically: false, encoding: .utf8)
        try "old counts\n".write(toFile: counts, atomically: false, encoding: .utf8)
        let run = try runGlossa(["vocab", "build", corpus, "--output", vocabulary])
        assertOneLineError(run, ["No space left on device", disk.path])
        XCTAssertEqual(try String(contentsOfFile: vocabulary, encoding: .utf8), "old vocabulary\n")
        XCTAssertEqual(try String(contentsOfFile: counts, encoding: .utf8), "old counts\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted(), ["vocab.counts.tsv", "vocab.txt"])

        let tiny = try SmallDisk(kilobytes: 8)
        defer { tiny.unmount() }
        let addresses = scratch.path + "/addresses.csv"  // about 12 KB out
        try ("name,street\n" + (0..<400).map { "person \($0),\($0) main street\n" }.joined()).write(toFile: addresses, atomically: true, encoding: .utf8)
        let dedup = try runGlossa(["dedup", addresses, "--output", tiny.path + "/out.csv"])
        assertOneLineError(dedup, ["No space left on device", tiny.path + "/out.csv"])
    }
}
