import Foundation
import TestSupport
import XCTest

/// Both trainers through the real binary (issue 11, items 2 and 4): the output folder is locked for
/// the run's lifetime; Ctrl-C and SIGTERM save a checkpoint and exit with status 130; --resume
/// continues.
final class TrainingSignalTests: XCTestCase {
    var temporary: TemporaryFolder?
    var folder: String { temporary!.path }

    override func setUpWithError() throws {
        temporary = try TemporaryFolder("signals")
        let words = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
        let lines = (0..<400).map { i in (0..<5).map { words[(i * 3 + $0) % 8] } }
        try (lines.map { $0.joined(separator: " ") }.joined(separator: "\n") + "\n").write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        try (lines.map { $0.reversed().joined(separator: " ") }.joined(separator: "\n") + "\n").write(toFile: folder + "/b.txt", atomically: true, encoding: .utf8)
    }

    override func tearDown() { temporary?.remove() }

    func commands(_ output: String) -> [(train: [String], resume: [String])] {
        [(["lm", "train", "--train", folder + "/a.txt", "--valid", folder + "/a.txt", "--output", output, "--tokenizer", "whitespace",
           "--layers", "1", "--embed", "8", "--hidden", "8", "--batch-size", "2", "--bptt", "5", "--epochs", "1000"],
          ["lm", "train", "--output", output, "--resume"]),
         (["translate", "train", "--source", folder + "/a.txt", "--target", folder + "/b.txt", "--output", output, "--tokenizer", "whitespace",
           "--embed", "8", "--hidden", "8", "--batch-size", "2", "--epochs", "1000", "--min-count", "1"],
          ["translate", "train", "--output", output, "--resume"])]
    }

    func testLockSignalsAndResume() throws {
        for (index, signal) in [SIGINT, SIGTERM].enumerated() {
            for (kind, command) in commands(folder + "/run-\(index)").enumerated() {
                let output = folder + "/run-\(index)"
                defer { try? FileManager.default.removeItem(atPath: output) }
                let process = Process()
                process.executableURL = glossaBinary()
                process.arguments = command.train
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = Pipe()
                try process.run()
                let deadline = Date().addingTimeInterval(60)
                while !FileManager.default.fileExists(atPath: output + "/.glossa.lock") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
                Thread.sleep(forTimeInterval: 0.5)
                XCTAssertTrue(process.isRunning, "\(command.train[0]): training should still be running")

                let second = try runGlossa(command.train)
                XCTAssertEqual(second.status, 1, second.stderr)
                XCTAssertTrue(second.stderr.contains("in use by another glossa run (pid \(process.processIdentifier))"), second.stderr)

                kill(process.processIdentifier, signal)
                let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, 130, "\(command.train[0]) after signal \(signal): \(stderr)")
                XCTAssertTrue(stderr.contains("interrupted at epoch") && stderr.contains("--resume"), stderr)
                let step = try XCTUnwrap(Int(stderr.components(separatedBy: "step ").last?.prefix { $0.isNumber } ?? ""))
                let resumed = try runGlossa(command.resume + ["--max-steps", String(step + 2), "--threads", kind == 0 ? "1" : "2"])
                XCTAssertEqual(resumed.status, 0, resumed.stderr)
                XCTAssertTrue((resumed.stdout + resumed.stderr).contains("stopped after \(step + 2) steps"), resumed.stdout + resumed.stderr)
            }
        }
    }
}
