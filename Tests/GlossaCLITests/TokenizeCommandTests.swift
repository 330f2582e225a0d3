import Foundation
import TestSupport
import XCTest

final class TokenizeCommandTests: XCTestCase {
    var folder: URL!
    override func setUpWithError() throws { folder = URL(fileURLWithPath: try TemporaryFolder("cli-tokenize").path) }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testStdinToSpaceSeparatedTokensKeepingEmptyLines() throws {
        let run = try runGlossa(["tokenize"], stdin: "Don't panic: it's 3.5 km to Zürich!\n\n我爱北京天安门。\nHello <unk> world")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "don't panic it's 3.5 km to zürich\n\n我 爱 北京 天安门\nhello <unk> world\n")
        XCTAssertEqual(run.stderr, "")
    }

    func testOptions() throws {
        XCTAssertEqual(try runGlossa(["tokenize", "--keep-punctuation", "--no-casefold"], stdin: "Hi, (you)!\n").stdout, "Hi , ( you ) !\n")
        XCTAssertEqual(try runGlossa(["tokenize", "--tokenizer", "whitespace"], stdin: "The N. Co.\t<unk> , x\n").stdout, "The N. Co. <unk> , x\n")
        XCTAssertEqual(try runGlossa(["tokenize", "--protect", "<num>", "--protect", "C#"], stdin: "C# is <num>!\n").stdout, "C# is <num>\n")
        let bad = try runGlossa(["tokenize", "--tokenizer", "bpe"])
        XCTAssertNotEqual(bad.status, 0)
    }

    func testFilesAndAtomicOutput() throws {
        let a = try write(Array("One two\n".utf8), "a.txt")
        let b = try write(Array("THREE".utf8), "b.txt")
        let out = folder.appendingPathComponent("out.txt").path
        let run = try runGlossa(["tokenize", a, b, "--output", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "one two\nthree\n")
    }

    func testLargeInputUsesChunksInOrder() throws {
        var text = ""
        for i in 0..<60_000 { text += "Line \(i): The QUICK brown fox, again.\n" }  // ~2.6 MB: more than one chunk
        let path = try write(Array(text.utf8), "large.txt")
        let run = try runGlossa(["tokenize", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 60_001)
        XCTAssertEqual(lines[0], "line 0 the quick brown fox again")
        XCTAssertEqual(lines[59_999], "line 59999 the quick brown fox again")
    }

    // MARK: Bad input

    func testInvalidUTF8NamesFileLineAndOffset() throws {
        let path = try write(Array("good line\nsecond\n".utf8) + [0x61, 0xFF, 0x62, 0x0A], "bad.txt")
        assertOneLineError(try runGlossa(["tokenize", path]), ["\(path):3:", "invalid UTF-8", "byte offset 18", "--lenient"])
        assertOneLineError(try runGlossa(["tokenize"], stdinData: Data([0x61, 0x0A, 0xC3, 0x28, 0x0A])), ["<stdin>:2:", "invalid UTF-8"])
    }

    func testInvalidUTF8DeepInALargeFile() throws {
        var bytes = Array(String(repeating: "plain ascii text line\n", count: 150_000).utf8)  // 3.3 MB
        bytes += [0xE2, 0x82, 0x0A]
        let path = try write(bytes, "deep.txt")
        assertOneLineError(try runGlossa(["tokenize", path]), ["\(path):150001:", "invalid UTF-8", "byte offset \(150_000 * 22)"])
    }

    func testLenientReplacesAndCounts() throws {
        let path = try write([0x61, 0xFF, 0x62, 0x0A, 0xC3, 0x0A], "bad.txt")
        let run = try runGlossa(["tokenize", "--lenient", "--keep-punctuation", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "a \u{FFFD} b\n\u{FFFD}\n")
        XCTAssertEqual(run.stderr, "glossa: replaced 2 invalid UTF-8 sequences with U+FFFD\n")
    }

    func testTenMegabyteLineIsRefused() throws {
        let path = try write(Array("short\n".utf8) + [UInt8](repeating: 0x61, count: 10_000_000) + [0x0A], "long.txt")
        assertOneLineError(try runGlossa(["tokenize", path]), ["\(path):2:", "longer than 1048576 bytes"])
        let out = folder.appendingPathComponent("out.txt").path
        assertOneLineError(try runGlossa(["tokenize", path, "--output", out]), ["\(path):2:"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["long.txt"], "no partial output")
    }

    func testEmptyMissingFolderAndUnreadableInputs() throws {
        let empty = try write([], "empty.txt")
        assertOneLineError(try runGlossa(["tokenize", empty]), ["\(empty):", "empty"])
        let missing = folder.appendingPathComponent("missing.txt").path
        assertOneLineError(try runGlossa(["tokenize", missing]), ["\(missing): cannot open: no such file"])
        assertOneLineError(try runGlossa(["tokenize", folder.path]), ["\(folder.path): is a folder"])
    }

    func testUnreadableFile() throws {
        guard getuid() != 0 else { throw XCTSkip("root reads every file, so permissions cannot make one unreadable") }
        let path = try write(Array("x\n".utf8), "secret.txt")
        chmod(path, 0)
        assertOneLineError(try runGlossa(["tokenize", path]), ["\(path): cannot open: permission denied"])
    }

    func testOutputInMissingFolderLeavesNothing() throws {
        let input = try write(Array("hello\n".utf8), "in.txt")
        let out = folder.appendingPathComponent("no/such/folder/out.txt").path
        assertOneLineError(try runGlossa(["tokenize", input, "--output", out]), ["folder", "does not exist"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("no").path))
    }

    func testFailureMidwayLeavesNoPartialOutput() throws {
        var bytes = Array(String(repeating: "fine line\n", count: 400_000).utf8)  // 4 MB: first chunks succeed
        bytes += [0xFF, 0x0A]
        let input = try write(bytes, "in.txt")
        let out = folder.appendingPathComponent("out.txt").path
        assertOneLineError(try runGlossa(["tokenize", input, "--output", out]), ["\(input):400001:"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["in.txt"], "no output or temporary file left")
    }

    func testHelpHasExamples() throws {
        let run = try runGlossa(["tokenize", "--help"])
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains("Examples:"))
        XCTAssertTrue(run.stdout.contains("--keep-punctuation"))
    }
}
