import Foundation
import TestSupport
import XCTest

/// `glossa vocab bpe-learn`, `tokenize --bpe`, `vocab build/encode --bpe` and `vocab decode
/// --detokenize` through the real binary, against the subword-nmt fixtures of TextProcessingTests.
final class BPECommandTests: XCTestCase {
    var folder: URL!
    override func setUpWithError() throws { folder = URL(fileURLWithPath: try TemporaryFolder("cli-bpe").path) }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../TextProcessingTests/Fixtures/bpe").standardized
    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }
    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func write(_ data: Data, _ name: String) throws -> String {
        try data.write(to: folder.appendingPathComponent(name))
        return path(name)
    }

    func testLearnAndApplyGiveSubwordNMTsFiles() throws {
        let learn = try runGlossa(["vocab", "bpe-learn", fixture("train.txt"), "--tokenizer", "whitespace", "--merges", "1500",
                                   "--output", path("codes.bpe")])
        XCTAssertEqual(learn.status, 0, learn.stderr)
        XCTAssertTrue(learn.stdout.hasPrefix("codes: 1500 merges"), learn.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("codes.bpe"))), try Data(contentsOf: URL(fileURLWithPath: fixture("codes.s1500.bpe"))))
        let apply = try runGlossa(["tokenize", "--tokenizer", "whitespace", "--bpe", path("codes.bpe"), fixture("test.txt")])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(apply.stdout, try String(contentsOfFile: fixture("test.s1500.txt"), encoding: .utf8))
        let stop = try runGlossa(["vocab", "bpe-learn", fixture("train.txt"), "--tokenizer", "whitespace", "--merges", "1500",
                                  "--min-frequency", "40", "-o", path("f40.bpe")])
        XCTAssertEqual(stop.status, 0, stop.stderr)
        XCTAssertTrue(stop.stderr.contains("stopped"), stop.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("f40.bpe"), encoding: .utf8), try String(contentsOfFile: fixture("codes.f40.bpe"), encoding: .utf8))
    }

    func testEncodeWithSubwordsNeverNeedsUnknownForKnownCharacters() throws {
        let corpus = try write(Data("the lower newest widest\nthe low new wide\n".utf8), "c.txt")
        XCTAssertEqual(try runGlossa(["vocab", "bpe-learn", corpus, "--merges", "10", "-o", path("c.bpe")]).status, 0)
        let build = try runGlossa(["vocab", "build", corpus, "--bpe", path("c.bpe"), "--min-count", "2", "-o", path("v.txt")])
        XCTAssertEqual(build.status, 0, build.stderr)
        let encoded = try runGlossa(["vocab", "encode", "--vocab", path("v.txt"), "--bpe", path("c.bpe")], stdin: "Lowest wines\n")
        XCTAssertEqual(encoded.status, 0, encoded.stderr)
        XCTAssertFalse(encoded.stdout.split(separator: " ").contains("1"), "no <unk>: \(encoded.stdout)")
        let pieces = try runGlossa(["vocab", "decode", "--vocab", path("v.txt")], stdin: encoded.stdout)
        XCTAssertTrue(pieces.stdout.contains("@@ "), pieces.stdout)
        let words = try runGlossa(["vocab", "decode", "--vocab", path("v.txt"), "--detokenize"], stdin: encoded.stdout)
        XCTAssertEqual(words.stdout, "lowest wines\n")
    }

    func testBadCodesFilesAreOneLineErrors() throws {
        let cases: [(Data, String)] = [
            (Data("t h\nth e</w>\n".utf8), "no-header.bpe:1: not a BPE codes file"),
            (Data("#version: 0.2\nt h\nth e </w>\n".utf8), "three.bpe:3: not a merge"),
            (Data("#version: 0.2\nt h\n".utf8) + Data([0xFF, 0xFE, 0x20, 0x78, 0x0A]), "latin1.bpe:3: invalid UTF-8"),
            (Data("".utf8), "empty.bpe:1: not a BPE codes file"),
        ]
        let names = ["no-header.bpe", "three.bpe", "latin1.bpe", "empty.bpe"]
        for ((data, expected), name) in zip(cases, names) {
            let codes = try write(data, name)
            for command in [["tokenize", "--bpe", codes], ["vocab", "build", "-", "--bpe", codes, "-o", path("v.txt")]] {
                let run = try runGlossa(command, stdin: "some text\n")
                XCTAssertEqual(run.status, 1, "\(name): \(run.stdout)")
                XCTAssertTrue(run.stderr.hasPrefix("Error: " + codes.dropLast(name.count) + expected), run.stderr)
                XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            }
        }
        let missing = try runGlossa(["tokenize", "--bpe", path("nowhere.bpe")], stdin: "x\n")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nowhere.bpe: cannot open"), missing.stderr)
    }

    func testTranslatorLearnsJointCodesAsBPELearnDoesAndJoinsItsOutput() throws {
        let source = try write(Data("Die Katze schläft. Der Hund läuft!\nDie Katzen schlafen.\nEin Hund, eine Katze.\n".utf8), "train.de")
        let target = try write(Data("The cat sleeps. The dog runs!\nThe cats sleep.\nA dog, a cat.\n".utf8), "train.en")
        let train = try runGlossa(["translate", "train", "--source", source, "--target", target, "--output", path("model"), "--bpe", "20",
                                   "--embed", "4", "--hidden", "4", "--epochs", "1", "--min-count", "1"])
        XCTAssertEqual(train.status, 0, train.stderr)
        // Translators keep punctuation: the same words as bpe-learn --keep-punctuation.
        let learn = try runGlossa(["vocab", "bpe-learn", source, target, "--keep-punctuation", "--merges", "20", "-o", path("codes.bpe")])
        XCTAssertEqual(learn.status, 0, learn.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("model/codes.bpe"), encoding: .utf8), try String(contentsOfFile: path("codes.bpe"), encoding: .utf8))
        let translated = try runGlossa(["translate", "--model", path("model")], stdin: "Die Katze schläft.\n")
        XCTAssertEqual(translated.status, 0, translated.stderr)
        XCTAssertFalse(translated.stdout.contains("@@"), translated.stdout)
        let refused = try runGlossa(["translate", "train", "--source", source, "--target", target, "--output", path("m2"),
                                     "--bpe", "20", "--source-bpe", "10"])
        XCTAssertEqual(refused.status, 64, refused.stderr)
    }

    func testSubwordTranslatorResumesWithItsCodes() throws {
        let source = try write(Data("die katze schläft\nder hund läuft\ndie katzen schlafen\n".utf8), "r.de")
        let target = try write(Data("the cat sleeps\nthe dog runs\nthe cats sleep\n".utf8), "r.en")
        let first = try runGlossa(["translate", "train", "--source", source, "--target", target, "--output", path("r"), "--bpe", "15",
                                   "--embed", "4", "--hidden", "4", "--epochs", "2", "--max-steps", "1", "--min-count", "1"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("r/codes.bpe")))
        let resumed = try runGlossa(["translate", "train", "--output", path("r"), "--resume", "--max-steps", "3"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
    }

    func testSubwordLanguageModelThroughTheBinary() throws {
        let words = ["seventeen", "seventy", "eighteen", "eighty", "nineteen", "ninety"]
        let text = (0..<80).map { i in (0..<5).map { words[(i + $0) % words.count] }.joined(separator: " ") }.joined(separator: "\n") + "\n"
        let train = try write(Data(text.utf8), "lm.txt")
        let run = try runGlossa(["lm", "train", "--train", train, "--valid", train, "--output", path("lm"), "--bpe", "10",
                                 "--tokenizer", "whitespace", "--embed", "8", "--hidden", "8", "--layers", "1", "--bptt", "5",
                                 "--batch-size", "4", "--epochs", "1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let eval = try runGlossa(["lm", "eval", "--model", path("lm"), "--text", train])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.contains("per word: perplexity"), eval.stdout)
        XCTAssertTrue(eval.stdout.contains("over 480 words"), eval.stdout)
        let predict = try runGlossa(["lm", "predict", "--model", path("lm"), "--top-k", "3", "seventeen seventy"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertEqual(predict.stdout.split(separator: "\n").count, 3, predict.stdout)
        XCTAssertFalse(predict.stdout.contains("@@"), predict.stdout)
        let generate = try runGlossa(["lm", "generate", "--model", path("lm"), "--prompt", "eighty", "--max-tokens", "4"])
        XCTAssertEqual(generate.status, 0, generate.stderr)
        XCTAssertFalse(generate.stdout.contains("@@"), generate.stdout)
    }
}
