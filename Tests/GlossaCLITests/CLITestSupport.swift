import Foundation
import XCTest

/// Runs the built `glossa` binary with arguments and standard input; returns status, stdout, stderr.
struct GlossaRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// The folder holding the test bundle, beside which SwiftPM puts the `glossa` binary.
func glossaBinary() -> URL {
    var folder = Bundle(for: GlossaHelpTests.self).bundleURL
    while folder.pathExtension == "xctest" || !FileManager.default.fileExists(atPath: folder.appendingPathComponent("glossa").path) {
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { break }
        folder = parent
    }
    return folder.appendingPathComponent("glossa")
}

@discardableResult
func runGlossa(_ arguments: [String], stdin: String? = nil, stdinData: Data? = nil) throws -> GlossaRun {
    let process = Process()
    process.executableURL = glossaBinary()
    process.arguments = arguments
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let payload = stdinData ?? Data((stdin ?? "").utf8)
    DispatchQueue.global().async {
        input.fileHandleForWriting.write(payload)
        try? input.fileHandleForWriting.close()
    }
    var outData = Data(), errData = Data()
    let group = DispatchGroup()
    group.enter(); DispatchQueue.global().async { outData = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.wait()
    process.waitUntilExit()
    return GlossaRun(status: process.terminationStatus,
                     stdout: String(decoding: outData, as: UTF8.self),
                     stderr: String(decoding: errData, as: UTF8.self))
}

/// Asserts a failed run: exit status 1 and one line on stderr that contains every fragment.
func assertOneLineError(_ run: GlossaRun, _ fragments: [String], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(run.status, 1, "stderr: \(run.stderr)", file: file, line: line)
    let message = run.stderr.trimmingCharacters(in: .newlines)
    XCTAssertFalse(message.isEmpty, file: file, line: line)
    XCTAssertFalse(message.contains("\n"), "one line expected: \(run.stderr)", file: file, line: line)
    XCTAssertFalse(run.stderr.contains("Fatal error") || run.stderr.contains("Stack dump"), run.stderr, file: file, line: line)
    for fragment in fragments {
        XCTAssertTrue(message.contains(fragment), "\(fragment.debugDescription) not in: \(message)", file: file, line: line)
    }
}
