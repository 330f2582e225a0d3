import Foundation
import TestSupport
import XCTest

final class VocabCommandTests: XCTestCase {
    var folder: URL!
    override func setUpWithError() throws { folder = URL(fileURLWithPath: try TemporaryFolder("cli-vocab").path) }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func testBuildOrderingCutOffsCountsAndCoverage() throws {
        let corpus = try write("The cat and the dog.\nA cat, a DOG, a bird <unk>\nzebra Äpfel äpfel\n", "corpus.txt")
        let run = try runGlossa(["vocab", "build", corpus, "--min-count", "2", "--output", path("vocab.txt")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("vocab.txt"), encoding: .utf8),
                       "<pad>\n<unk>\n<bos>\n<eos>\na\ncat\ndog\nthe\näpfel\n")  // ties by code point: ä (U+00E4) after t
        XCTAssertEqual(try String(contentsOfFile: path("vocab.counts.tsv"), encoding: .utf8),
                       "a\t3\ncat\t2\ndog\t2\nthe\t2\näpfel\t2\n<unk>\t1\nand\t1\nbird\t1\nzebra\t1\n")
        XCTAssertTrue(run.stdout.contains("corpus: 3 lines"), run.stdout)
        XCTAssertTrue(run.stdout.contains("15 tokens, 9 types"), run.stdout)
        XCTAssertTrue(run.stdout.contains("coverage: 6 of 9 types; out-of-vocabulary tokens 3 (20.000%)"), run.stdout)

        let capped = try runGlossa(["vocab", "build", corpus, "--max-size", "6", "--output", path("small.txt")])
        XCTAssertEqual(capped.status, 0, capped.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("small.txt"), encoding: .utf8), "<pad>\n<unk>\n<bos>\n<eos>\na\ncat\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("small.counts.tsv")))
    }

    func testWhitespaceTokenizerAndStdin() throws {
        let run = try runGlossa(["vocab", "build", "-", "--tokenizer", "whitespace", "--output", path("v.txt")], stdin: "b a B a\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("v.txt"), encoding: .utf8), "<pad>\n<unk>\n<bos>\n<eos>\na\nB\nb\n")
    }

    func testEncodeDecodeRoundTrip() throws {
        let corpus = try write("in the beginning god created the heaven and the earth\n", "c.txt")
        XCTAssertEqual(try runGlossa(["vocab", "build", corpus, "--output", path("v.txt")]).status, 0)
        let encoded = try runGlossa(["vocab", "encode", "--vocab", path("v.txt")], stdin: "In the Beginning, God made <eos>\n\nthe earth\n")
        XCTAssertEqual(encoded.status, 0, encoded.stderr)
        // v.txt: <pad> <unk> <bos> <eos> the and beginning created earth god heaven in
        XCTAssertEqual(encoded.stdout, "11 4 6 9 1 3\n\n4 8\n")
        let decoded = try runGlossa(["vocab", "decode", "--vocab", path("v.txt")], stdin: encoded.stdout)
        XCTAssertEqual(decoded.stdout, "in the beginning god <unk> <eos>\n\nthe earth\n")
        let joined = try runGlossa(["vocab", "decode", "--vocab", path("v.txt"), "--detokenize"], stdin: "4 8\n")
        XCTAssertEqual(joined.stdout, "the earth\n")
    }

    // MARK: Bad input

    func testBadInputs() throws {
        let bad = path("bad.txt")
        try Data(Array("ok\n".utf8) + [0xC0, 0x80, 0x0A]).write(to: URL(fileURLWithPath: bad))
        assertOneLineError(try runGlossa(["vocab", "build", bad, "--output", path("v.txt")]), ["\(bad):2:", "invalid UTF-8", "byte offset 3"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("v.txt")), "no partial vocabulary")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("v.counts.tsv")))

        let lenient = try runGlossa(["vocab", "build", bad, "--lenient", "--output", path("v.txt")])
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.stdout.contains("replaced 2 invalid UTF-8 sequences"), lenient.stdout)

        let empty = try write("", "empty.txt")
        assertOneLineError(try runGlossa(["vocab", "build", empty, "--output", path("e.txt")]), ["\(empty):", "empty"])
        assertOneLineError(try runGlossa(["vocab", "build", path("missing.txt"), "--output", path("m.txt")]), ["missing.txt: cannot open: no such file"])
        assertOneLineError(try runGlossa(["vocab", "build", bad, "--lenient", "--output", path("nope/v.txt")]), ["nope", "does not exist"])
        XCTAssertNotEqual(try runGlossa(["vocab", "build", bad, "--max-size", "2"]).status, 0)

        let long = path("long.txt")
        try Data([UInt8](repeating: 0x62, count: 10_000_000) + [0x0A]).write(to: URL(fileURLWithPath: long))
        assertOneLineError(try runGlossa(["vocab", "build", long, "--output", path("l.txt")]), ["\(long):1:", "longer than"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["bad.txt", "empty.txt", "long.txt", "v.counts.tsv", "v.txt"], "only the lenient run wrote files")
    }

    func testMalformedVocabularyAndIDs() throws {
        let vocab = try write("<pad>\n<unk>\n<bos>\n<eos>\nx\nx\n", "dup.txt")
        assertOneLineError(try runGlossa(["vocab", "encode", "--vocab", vocab], stdin: "x\n"), ["\(vocab):6:", "appears twice"])
        let good = try write("<pad>\n<unk>\n<bos>\n<eos>\nx\n", "good.txt")
        assertOneLineError(try runGlossa(["vocab", "decode", "--vocab", good], stdin: "4\n4 9\n"), ["<stdin>:2:", "\"9\" is not a token id"])
        assertOneLineError(try runGlossa(["vocab", "encode", "--vocab", path("none.txt")], stdin: "x\n"), ["none.txt: cannot open"])
    }

    func testHelpHasExamples() throws {
        for command in [["vocab"], ["vocab", "build"], ["vocab", "encode"], ["vocab", "decode"]] {
            let run = try runGlossa(command + ["--help"])
            XCTAssertEqual(run.status, 0)
            XCTAssertTrue(run.stdout.contains("Examples:"), "\(command)")
        }
    }
}
