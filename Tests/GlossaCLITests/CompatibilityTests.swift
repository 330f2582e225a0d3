import Foundation
import XCTest

/// Model directories written before the refactor of issue 10 load and give the same tokens and
/// perplexity (Fixtures/compatibility/README.md says how the expected outputs were made).
final class CompatibilityTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/compatibility").path
    /// The word-level Bible model shipped until issue 16 replaced it by a subword one.
    var translator: String { fixtures + "/bible-es-en-word" }

    func fixture(_ name: String) throws -> String {
        try String(contentsOfFile: fixtures + "/" + name, encoding: .utf8)
    }

    func testShippedTranslatorGivesTheSameTranslations() throws {
        let source = try fixture("source.es")
        for (arguments, expected) in [([String](), "greedy.en"), (["--beam", "5"], "beam5.en")] {
            let run = try runGlossa(["translate", "--model", translator] + arguments, stdin: source)
            XCTAssertEqual(run.status, 0, run.stderr)
            let got = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let want = try fixture(expected).split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(got.count, want.count, expected)
            for (i, (g, w)) in zip(got, want).enumerated() where g != w {
                XCTFail("\(expected) line \(i + 1): \(g) ≠ \(w)")
            }
        }
    }

    func testOldLanguageModelGivesTheSamePerplexityAndPredictions() throws {
        let eval = try runGlossa(["lm", "eval", "--model", fixtures + "/lm", "--text", fixtures + "/source.es", "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        func object(_ text: String) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let got = try object(eval.stdout), want = try object(try fixture("lm-eval.json"))
        XCTAssertEqual(got["tokens"] as? Int, want["tokens"] as? Int)
        let perplexity = try XCTUnwrap(want["perplexity"] as? Double)
        // Float32 products whose sums OpenBLAS orders by the kernels it picks for the CPU (AVX2 under
        // OPENBLAS_CORETYPE=Haswell, AVX-512 without it): 4e-9 relative apart here; 1e-6 still fails any real change.
        XCTAssertEqual(try XCTUnwrap(got["perplexity"] as? Double), perplexity, accuracy: 1e-6 * perplexity)

        let predict = try runGlossa(["lm", "predict", "--model", fixtures + "/lm", "--top-k", "3", "--json"], stdin: "jesús dijo\nel rey de\n")
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let lines = predict.stdout.split(separator: "\n"), expected = try fixture("lm-predict.jsonl").split(separator: "\n")
        XCTAssertEqual(lines.count, expected.count)
        for (line, wanted) in zip(lines, expected) {
            let g = try object(String(line)), w = try object(String(wanted))
            let gp = try XCTUnwrap(g["predictions"] as? [[String: Any]]), wp = try XCTUnwrap(w["predictions"] as? [[String: Any]])
            XCTAssertEqual(gp.map { $0["token"] as? String }, wp.map { $0["token"] as? String })
            for (a, b) in zip(gp, wp) {
                XCTAssertEqual(a["probability"] as! Double, b["probability"] as! Double, accuracy: 1e-6)
            }
        }
    }
}
