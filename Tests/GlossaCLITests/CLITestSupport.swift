import Foundation
import TestSupport
import XCTest

/// A finished `glossa` run: status, stdout, stderr.
typealias GlossaRun = ProcessResult

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

/// Runs the built `glossa` binary with arguments and standard input (a day at most: some tests train).
@discardableResult
func runGlossa(_ arguments: [String], stdin: String? = nil, stdinData: Data? = nil) throws -> GlossaRun {
    try runProcess(glossaBinary().path, arguments, input: stdinData ?? Data((stdin ?? "").utf8), timeout: 24 * 3600)
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
