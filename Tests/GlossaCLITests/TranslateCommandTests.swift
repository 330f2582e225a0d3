import Foundation
import TestSupport
import XCTest

/// `glossa translate train | (default) | eval` through the real binary on a tiny reverse-the-sequence
/// corpus (trained once per test class, a few seconds in debug).
final class TranslateCommandTests: XCTestCase {
    static let temporary = try! TemporaryFolder("translate-cli")
    static var folder: String { temporary.path }
    static var trained = false
    static var trainRun: GlossaRun?

    static func corpus(_ count: Int, seed: UInt64) -> (String, String) {
        var state = seed
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let symbols = ["a", "b", "c", "d", "e", "f"]
        var sources = "", targets = ""
        for _ in 0..<count {
            let words = (0..<(1 + Int(next() % 5))).map { _ in symbols[Int(next() % 6)] }
            sources += words.joined(separator: " ") + "\n"
            targets += words.reversed().joined(separator: " ") + "\n"
        }
        return (sources, targets)
    }

    override class func setUp() {
        let (s, t) = corpus(2000, seed: 1), (vs, vt) = corpus(40, seed: 2)
        try? s.write(toFile: folder + "/train.src", atomically: true, encoding: .utf8)
        try? t.write(toFile: folder + "/train.tgt", atomically: true, encoding: .utf8)
        try? vs.write(toFile: folder + "/valid.src", atomically: true, encoding: .utf8)
        try? vt.write(toFile: folder + "/valid.tgt", atomically: true, encoding: .utf8)
        trainRun = try? runGlossa(["translate", "train", "--source", folder + "/train.src", "--target", folder + "/train.tgt",
                                   "--valid-source", folder + "/valid.src", "--valid-target", folder + "/valid.tgt",
                                   "--output", folder + "/model", "--tokenizer", "whitespace", "--embed", "16", "--hidden", "32",
                                   "--epochs", "8", "--lr", "0.01", "--dropout", "0", "--batch-size", "32", "--min-count", "1"])
    }

    override class func tearDown() { temporary.remove() }

    var folder: String { Self.folder }

    func testTrainWritesTheModelDirectory() throws {
        let run = try XCTUnwrap(Self.trainRun)
        XCTAssertEqual(run.status, 0, run.stderr)
        for file in ["config.json", "model.safetensors", "source.vocab.txt", "target.vocab.txt", "metrics.jsonl", "training-curve.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/model/" + file), file)
        }
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/model/config.json"))) as! [String: Any]
        XCTAssertEqual(config["model_type"] as? String, "rnn-seq2seq-attention")
        XCTAssertEqual(config["hidden_size"] as? Int, 32)
        XCTAssertEqual(Set(config.keys), ["model_type", "cell", "embedding_size", "hidden_size", "num_layers", "bidirectional_encoder",
                                          "source_vocab_size", "target_vocab_size", "max_output_ratio", "source_tokenizer", "target_tokenizer"])
        XCTAssertTrue(run.stderr.contains("valid BLEU"), run.stderr)
    }

    func testTranslatesStdinInOrderWithEmptyLines() throws {
        let run = try runGlossa(["translate", "--model", folder + "/model"], stdin: "a b c\n\nf e\nd d a b\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "c b a\n\ne f\nb a d d\n")
        let beam = try runGlossa(["translate", "--model", folder + "/model", "--beam", "3", "--length-penalty", "0.6"], stdin: "a b c\nf e\n")
        XCTAssertEqual(beam.stdout, "c b a\ne f\n")
    }

    func testAttentionPictureAndLongLines() throws {
        let long = Array(repeating: "a b", count: 15).joined(separator: " ")
        let svg = folder + "/attention.svg"
        let run = try runGlossa(["translate", "--model", folder + "/model", "--attention", svg, "--max-source-tokens", "8"], stdin: "a b c\n" + long + "\n")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 3)
        XCTAssertTrue(run.stderr.contains("translated in 4 pieces"), run.stderr)
        let picture = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(picture.hasPrefix("<svg") && picture.contains("<rect"))
    }

    func testEvalPrintsSacreBLEUStyleScore() throws {
        let run = try runGlossa(["translate", "eval", "--model", folder + "/model", "--source", folder + "/valid.src",
                                 "--reference", folder + "/valid.tgt", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        XCTAssertGreaterThan(result["bleu"] as! Double, 80)
        XCTAssertEqual(result["tokenize"] as? String, "13a")
        XCTAssertEqual(result["sentences"] as? Int, 40)
    }

    func testUserMistakesAreOneLineErrors() throws {
        let missing = try runGlossa(["translate", "--model", folder + "/no-such-model"], stdin: "a\n")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no-such-model"), missing.stderr)
        XCTAssertFalse(missing.stderr.contains("Stack"), missing.stderr)

        try "a b\nc\n".write(toFile: folder + "/short.tgt", atomically: true, encoding: .utf8)
        let mismatch = try runGlossa(["translate", "train", "--source", folder + "/train.src", "--target", folder + "/short.tgt",
                                      "--output", folder + "/bad"])
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertTrue(mismatch.stderr.contains("short.tgt") && mismatch.stderr.contains("line-aligned"), mismatch.stderr)

        let badCell = try runGlossa(["translate", "train", "--source", "x", "--target", "y", "--output", "z", "--cell", "transformer"])
        XCTAssertNotEqual(badCell.status, 0)
        XCTAssertTrue(badCell.stderr.contains("--cell"), badCell.stderr)
    }

    /// Issue 11 item 10: beams wider than the documented cap are refused with a clear error.
    func testBeamAboveTheCapIsRefused() throws {
        let wide = try runGlossa(["translate", "--model", folder + "/model", "--beam", "5000"], stdin: "a b c\n")
        XCTAssertNotEqual(wide.status, 0)
        XCTAssertEqual(wide.stdout, "")
        XCTAssertTrue(wide.stderr.contains("--beam must be from 1 to 50"), wide.stderr)
        let widest = try runGlossa(["translate", "--model", folder + "/model", "--beam", "50"], stdin: "a b c\n")
        XCTAssertEqual(widest.status, 0, widest.stderr)
    }

    /// An attention picture or translations file that cannot be written fails before any work.
    func testUnwritableOutputsFailBeforeTranslating() throws {
        let picture = try runGlossa(["translate", "--model", folder + "/model", "--attention", "/missing-glossa-folder/a.svg"], stdin: "a b c\n")
        assertOneLineError(picture, ["/missing-glossa-folder/a.svg", "does not exist"])
        XCTAssertEqual(picture.stdout, "", "nothing translated")
        let eval = try runGlossa(["translate", "eval", "--model", folder + "/model", "--source", folder + "/valid.src",
                                  "--reference", folder + "/valid.tgt", "--output", "/missing-glossa-folder/out.txt"])
        assertOneLineError(eval, ["/missing-glossa-folder/out.txt", "does not exist"])
        XCTAssertEqual(eval.stdout, "")
    }
}
