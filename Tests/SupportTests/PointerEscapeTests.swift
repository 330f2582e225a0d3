import Foundation
import XCTest

/// No pointer outlives its `withUnsafe…Pointer` closure anywhere in Sources/: a closure that only
/// returns its pointer (`withUnsafeBufferPointer { $0.baseAddress! }`) hands out an address that is
/// undefined once the call returns (issue 11, "Memory safety"). A sanitizer cannot see this while
/// the array happens to stay alive, so the source is checked.
final class PointerEscapeTests: XCTestCase {
    static let escape = try! NSRegularExpression(pattern:
        #"withUnsafe\w*(Buffer)?(Pointer|Bytes)\s*(\(\s*\))?\s*\{\s*(\$0|(\w+)\s+in\s+\5)(\.baseAddress)?!?\s*\}"#)

    func escapes(in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return Self.escape.matches(in: text, range: range).map { String(text[Range($0.range, in: text)!]) }
    }

    func testThePatternFindsEscapes() {
        XCTAssertEqual(escapes(in: "let p = a.withUnsafeBufferPointer { $0.baseAddress! }").count, 1)
        XCTAssertEqual(escapes(in: "let p = a.withUnsafeMutableBufferPointer { b in b.baseAddress }").count, 1)
        XCTAssertEqual(escapes(in: "a.withUnsafeBufferPointer { f($0.baseAddress!) }").count, 0)
    }

    func testNoPointerLeavesItsClosureInSources() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var checked = 0
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            checked += 1
            for found in escapes(in: text) {
                XCTFail("\(url.path): a pointer escapes its closure: \(found)")
            }
        }
        XCTAssertGreaterThan(checked, 50, "found the sources")
    }
}
