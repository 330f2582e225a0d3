import TestSupport
import XCTest
@testable import TextProcessing

final class LineReaderTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder("lines")
    }

    override func tearDownWithError() throws { folder.remove() }

    func file(_ bytes: [UInt8], name: String = "input.txt") throws -> String {
        let path = folder.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func lines(_ path: String, lenient: Bool = false, chunk: Int = 1 << 21, maxLine: Int = LineReader.defaultMaxLineBytes) throws -> ([String], Int) {
        let reader = try LineReader(path: path)
        reader.maxLineBytes = maxLine
        var result: [String] = []
        var replaced = 0
        while let c = try reader.readChunk(targetBytes: chunk) {
            replaced += try c.forEachLine(lenient: lenient, maxLineBytes: maxLine) { result.append(String(decoding: $0, as: UTF8.self)) }
        }
        return (result, replaced)
    }

    func testLineBreaksEmptyLinesAndNoFinalNewline() throws {
        let path = try file(Array("a\r\n\nb c\nlast".utf8))
        for chunk in [1, 3, 1 << 21] { XCTAssertEqual(try lines(path, chunk: chunk).0, ["a", "", "b c", "last"], "chunk \(chunk)") }
        XCTAssertEqual(try lines(try file([], name: "empty.txt")).0, [])
    }

    func testInvalidUTF8NamesFileLineAndByteOffset() throws {
        let path = try file(Array("ok\nfine\nbad \u{E9}".utf8.prefix(14)) + [0xFF] + Array(" x\n".utf8))
        for chunk in [2, 1 << 21] {
            XCTAssertThrowsError(try lines(path, chunk: chunk)) { error in
                XCTAssertEqual((error as? InputError)?.line, 3)
                XCTAssertTrue("\(error)".hasPrefix("\(path):3: invalid UTF-8 (byte 0xFF at byte offset 14)"), "\(error)")
                XCTAssertTrue("\(error)".contains("--lenient"))
            }
        }
    }

    func testLenientReplacesAndCounts() throws {
        let path = try file([0x61, 0xC3, 0x0A, 0xF0, 0x9F, 0x98, 0x0A, 0x80, 0x80, 0x62, 0x0A])
        let (result, replaced) = try lines(path, lenient: true)
        XCTAssertEqual(result, ["a\u{FFFD}", "\u{FFFD}", "\u{FFFD}\u{FFFD}b"])
        XCTAssertEqual(replaced, 4)
    }

    func testRepairMatchesSwiftsDecoderOnRandomBytes() {
        var state: UInt64 = 42
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<(Int(state % 12)) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let pick = [0x41, 0x80, 0xBF, 0xC2, 0xC0, 0xE0, 0xED, 0xA0, 0xF0, 0xF4, 0x90, 0x8F, 0xFF, 0xE2, 0x82, 0xAC]
                bytes.append(UInt8(pick[Int(state >> 33) % pick.count]))
            }
            var repaired: [UInt8] = []
            _ = bytes.withUnsafeBytes { UTF8Validation.repair($0, into: &repaired) }
            XCTAssertEqual(repaired, Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
            let valid = bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == nil
            XCTAssertEqual(valid, String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) != nil && !bytes.contains(0), "\(bytes)")
        }
    }

    func testOverlongLineIsRefused() throws {
        let path = try file(Array("short\n".utf8) + [UInt8](repeating: 0x61, count: 5000) + [0x0A])
        for chunk in [16, 1 << 21] {
            XCTAssertThrowsError(try lines(path, chunk: chunk, maxLine: 1000)) { error in
                XCTAssertEqual((error as? InputError)?.line, 2, "\(error)")
                XCTAssertTrue("\(error)".contains("longer than 1000 bytes"), "\(error)")
            }
        }
    }

    func testMissingFileAndFolder() {
        XCTAssertThrowsError(try LineReader(path: folder.file("nope.txt"))) {
            XCTAssertTrue("\($0)".hasSuffix("nope.txt: cannot open: no such file"), "\($0)")
        }
        XCTAssertThrowsError(try LineReader(path: folder.path)) {
            XCTAssertTrue("\($0)".hasSuffix(": is a folder, not a text file"), "\($0)")
        }
    }

    func testChunkPipelineKeepsOrderAndReportsTheFirstError() throws {
        var text = ""
        for i in 1...500 { text += "line \(i)\n" }
        let path = try file(Array(text.utf8))
        var seen: [String] = []
        try ChunkPipeline.run(reader: try LineReader(path: path), workers: 2, chunkBytes: 50, work: { _, chunk -> [String] in
            var lines: [String] = []
            try chunk.forEachLine { lines.append(String(decoding: $0, as: UTF8.self)) }
            return lines
        }, consume: { seen += $0 })
        XCTAssertEqual(seen, (1...500).map { "line \($0)" })

        let bad = try file(Array(text.utf8.prefix(2000)) + [0xFE, 0x0A] + Array(text.utf8.prefix(2000)) + [0xFE, 0x0A], name: "bad.txt")
        XCTAssertThrowsError(try ChunkPipeline.run(reader: try LineReader(path: bad), workers: 2, chunkBytes: 64, work: { _, chunk in
            try chunk.forEachLine { _ in }
        }, consume: { _ in })) { error in
            XCTAssertEqual((error as? InputError)?.line, (text.utf8.prefix(2000).filter { $0 == 0x0A }.count) + 1, "\(error)")
        }
    }
}
