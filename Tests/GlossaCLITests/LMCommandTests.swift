import Foundation
import TestSupport
import XCTest

/// `glossa lm` end to end through the real binary: train, eval, predict, generate; PyTorch's
/// perplexity on a PyTorch-exported model; bad input; Ctrl-C and --resume.
final class LMCommandTests: XCTestCase {
    var folder = ""
    /// Tests/LanguageModelTests/Fixtures (models written by Tools/make_lm_fixture.py).
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LanguageModelTests/Fixtures").path

    override func setUpWithError() throws {
        folder = try TemporaryFolder("lm-cli").path
        let words = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
        func corpus(_ lines: Int, _ seed: Int) -> String {
            (0..<lines).map { i in (0..<5).map { words[(i * 3 + seed + $0) % 8] }.joined(separator: " ") }.joined(separator: "\n") + "\n"
        }
        try corpus(60, 0).write(toFile: folder + "/train.txt", atomically: true, encoding: .utf8)
        try corpus(12, 1).write(toFile: folder + "/valid.txt", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    let small = ["--tokenizer", "whitespace", "--layers", "1", "--embed", "12", "--hidden", "16", "--batch-size", "4", "--bptt", "5"]

    func train(_ extra: [String], output: String = "model") throws -> GlossaRun {
        try runGlossa(["lm", "train", "--train", folder + "/train.txt", "--valid", folder + "/valid.txt",
                       "--output", folder + "/" + output] + small + extra)
    }

    func testTrainEvalPredictGenerate() throws {
        let run = try train(["--test", folder + "/valid.txt", "--epochs", "3", "--optimizer", "adam", "--lr", "0.02"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("best validation perplexity") && run.stdout.contains("test perplexity"), run.stdout)
        let model = folder + "/model"
        for name in ["config.json", "model.safetensors", "vocab.txt", "metrics.jsonl", "training-curve.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: model + "/" + name), name)
        }
        let metrics = try String(contentsOfFile: model + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(metrics.count, 4, "three epochs and the test")

        let eval = try runGlossa(["lm", "eval", "--model", model, "--text", folder + "/valid.txt", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["tokens"] as? Int, 12 * 6 - 1, "every token after the first: 12 lines of 5 words and <eos>")
        let perplexity = try XCTUnwrap(object["perplexity"] as? Double)
        XCTAssertGreaterThan(perplexity, 1)
        XCTAssertLessThan(perplexity, 12)

        let predict = try runGlossa(["lm", "predict", "--model", model, "--top-k", "3", "one two"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let rows = predict.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
        XCTAssertEqual(rows.count, 3)
        XCTAssertTrue(rows.allSatisfy { $0.count == 2 && Double($0[1]) != nil }, predict.stdout)
        let probabilities = rows.map { Double($0[1])! }
        XCTAssertEqual(probabilities, probabilities.sorted(by: >))

        let fromStdin = try runGlossa(["lm", "predict", "--model", model, "--top-k", "2"], stdin: "one two\nfive\n")
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(fromStdin.stdout.split(separator: "\n").filter { $0.hasPrefix("> ") }, ["> one two", "> five"])

        let a = try runGlossa(["lm", "generate", "--model", model, "--prompt", "one", "--max-tokens", "8", "--seed", "3"])
        let b = try runGlossa(["lm", "generate", "--model", model, "--prompt", "one", "--max-tokens", "8", "--seed", "3"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout, b.stdout)
        XCTAssertTrue(a.stdout.hasPrefix("one"))
        XCTAssertLessThanOrEqual(a.stdout.split(separator: " ").count, 9)
    }

    /// The acceptance check: a model exported from PyTorch evaluates to PyTorch's perplexity.
    func testEvalOfPyTorchExportedModelsMatchesPyTorch() throws {
        for name in ["lstm2", "lstm-tied", "gru2", "rnn-tanh", "rnn-relu", "rnn-sigmoid"] {
            let expected = try XCTUnwrap(JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: fixtures + "/\(name)/expected.json"))) as? [String: Any])
            let run = try runGlossa(["lm", "eval", "--model", fixtures + "/" + name, "--text", fixtures + "/tiny.txt", "--json"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let ours = try XCTUnwrap(object["perplexity"] as? Double), theirs = try XCTUnwrap(expected["perplexity"] as? Double)
            XCTAssertLessThan(abs(ours - theirs) / theirs, 1e-4, "\(name): Glossa \(ours), PyTorch \(theirs)")
            XCTAssertEqual(object["tokens"] as? Int, expected["tokens"] as? Int)
        }
    }

    func testBadInput() throws {
        assertOneLineError(try runGlossa(["lm", "train", "--train", folder + "/nope.txt", "--valid", folder + "/valid.txt",
                                          "--output", folder + "/m1"] + small), ["nope.txt"])
        try "".write(toFile: folder + "/empty.txt", atomically: true, encoding: .utf8)
        assertOneLineError(try runGlossa(["lm", "train", "--train", folder + "/train.txt", "--valid", folder + "/empty.txt",
                                          "--output", folder + "/m2"] + small), ["empty.txt"])
        try "uno dos tres\n".write(toFile: folder + "/spanish.txt", atomically: true, encoding: .utf8)
        assertOneLineError(try runGlossa(["lm", "train", "--train", folder + "/train.txt", "--valid", folder + "/spanish.txt",
                                          "--output", folder + "/m3"] + small), ["spanish.txt", "no word the vocabulary knows"])
        assertOneLineError(try train(["--bptt", "400"], output: "m4"), ["--bptt 400", "train.txt"])
        assertOneLineError(try train(["--lr", "1e30", "--clip", "0"], output: "m5"), ["at step", "--lr"])
        assertOneLineError(try runGlossa(["lm", "eval", "--model", folder + "/no-model", "--text", folder + "/valid.txt"]),
                           ["no-model"])

        // A checkpoint of the wrong kind, with a missing tensor, with a mis-shaped tensor.
        let bad = folder + "/bad"
        try FileManager.default.copyItem(atPath: fixtures + "/lstm2", toPath: bad)
        let config = try String(contentsOfFile: bad + "/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "rnn-lm", with: "rnn-seq2seq-attention").write(toFile: bad + "/config.json", atomically: true, encoding: .utf8)
        assertOneLineError(try runGlossa(["lm", "eval", "--model", bad, "--text", fixtures + "/tiny.txt"]), ["config.json", "not a language model"])
        try config.replacingOccurrences(of: "\"num_layers\": 2", with: "\"num_layers\": 3").write(toFile: bad + "/config.json", atomically: true, encoding: .utf8)
        assertOneLineError(try runGlossa(["lm", "predict", "--model", bad, "the"]), ["model.safetensors", "rnn.weight_ih_l2", "missing"])
        try config.replacingOccurrences(of: "\"hidden_size\": 12", with: "\"hidden_size\": 10").write(toFile: bad + "/config.json", atomically: true, encoding: .utf8)
        assertOneLineError(try runGlossa(["lm", "generate", "--model", bad, "--prompt", "the"]), ["model.safetensors", "shape"])

        // An earlier run is left alone.
        XCTAssertEqual(try train(["--max-steps", "2"], output: "kept").status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: folder + "/kept/checkpoint.safetensors"))
        assertOneLineError(try train([], output: "kept"), ["--resume"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/kept/checkpoint.safetensors")), before)
    }

    /// Ctrl-C saves a checkpoint; --resume continues from it.
    func testCtrlCSavesACheckpointThatResumes() throws {
        let output = folder + "/interrupted"
        let process = Process()
        process.executableURL = glossaBinary()
        process.arguments = ["lm", "train", "--train", folder + "/train.txt", "--valid", folder + "/valid.txt",
                             "--output", output, "--epochs", "1000000"] + small
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: output + "/checkpoint.safetensors") && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(process.isRunning, "training should still be running")
        process.interrupt()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 130, stderr)
        XCTAssertTrue(stderr.contains("interrupted at epoch") && stderr.contains("--resume"), stderr)
        let step = try XCTUnwrap(stderr.components(separatedBy: "step ").last?.prefix { $0.isNumber }).description
        let target = try XCTUnwrap(Int(step)) + 3
        let resumed = try runGlossa(["lm", "train", "--output", output, "--resume", "--max-steps", String(target)])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("stopped after \(target) steps"), resumed.stdout)
        let refused = try runGlossa(["lm", "train", "--output", output, "--resume", "--hidden", "8"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--hidden was 16"), refused.stderr)
    }

    /// Penn Treebank (../shared/data/ptb, when present): a small model learns from real text.
    func testPennTreebankSmallRun() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/ptb").path
        guard FileManager.default.fileExists(atPath: data + "/ptb.valid.txt.gz") else {
            throw XCTSkip("Penn Treebank not found at \(data) (benchmark data; the product does not need it)")
        }
        for name in ["valid", "test"] {
            let gunzip = Process()
            gunzip.executableURL = URL(fileURLWithPath: "/bin/sh")
            gunzip.arguments = ["-c", "gunzip -c '\(data)/ptb.\(name).txt.gz' > '\(folder)/ptb.\(name).txt'"]
            try gunzip.run()
            gunzip.waitUntilExit()
            XCTAssertEqual(gunzip.terminationStatus, 0)
        }
        // Train on the validation part (74k tokens), evaluate on the test part.
        let run = try runGlossa(["lm", "train", "--train", folder + "/ptb.valid.txt", "--valid", folder + "/ptb.test.txt",
                                 "--output", folder + "/ptb", "--tokenizer", "whitespace", "--layers", "1", "--embed", "32",
                                 "--hidden", "32", "--max-steps", "30", "--max-size", "3000"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let eval = try runGlossa(["lm", "eval", "--model", folder + "/ptb", "--text", folder + "/ptb.test.txt", "--json", "--batch-size", "10"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        let perplexity = try XCTUnwrap(object["perplexity"] as? Double)
        XCTAssertLessThan(perplexity, 1000, "a uniform guess over the 3000-word vocabulary scores 3000")
    }
}
