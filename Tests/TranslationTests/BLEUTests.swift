import XCTest
@testable import Translation

/// Expected values were printed by sacreBLEU 2.6.0 (`sacrebleu.corpus_bleu`, defaults: 13a, exp
/// smoothing), with and without `lowercase=True`.
final class BLEUTests: XCTestCase {
    let hypotheses = [
        "A man in an orange hat starring at something.",
        "The dog's toy costs $3.50, isn't it?",
        "Two-year-old 3-4 kids (aged 5) play.",
        "a b c d",
        "Ünïcödé Straße, 1,000 people&amp;dogs -\nend",
        "",
    ]
    let references = [
        "A man in an orange hat staring at something.",
        "The dog's toy cost 3.50 dollars, didn't it?",
        "Two year old kids, aged 3-4, are playing.",
        "a b x d",
        "ünïcödé strasse, 1,000 People & dogs end",
        "nothing here",
    ]

    func testTokenizer13aMatchesSacreBLEU() {
        let expected = [
            "A man in an orange hat starring at something .",
            "The dog's toy costs $ 3.50 , isn't it ?",
            "Two-year-old 3 - 4 kids ( aged 5 ) play .",
            "a b c d",
            "Ünïcödé Straße , 1,000 people & dogs end",
            "",
        ]
        for (hypothesis, tokens) in zip(hypotheses, expected) {
            XCTAssertEqual(Tokenizer13a.tokenize(PythonWhitespace.rstrip(hypothesis)), tokens)
        }
    }

    func testCorpusBLEUMatchesSacreBLEU() {
        let cased = BLEU(hypotheses: hypotheses, references: references)
        XCTAssertEqual(cased.correct, [30, 16, 8, 3])
        XCTAssertEqual(cased.total, [43, 38, 33, 28])
        XCTAssertEqual(cased.hypothesisLength, 43)
        XCTAssertEqual(cased.referenceLength, 47)
        XCTAssertEqual(cased.score, 26.929768945568572, accuracy: 1e-9)

        let lowercased = BLEU(hypotheses: hypotheses, references: references, lowercase: true)
        XCTAssertEqual(lowercased.correct, [32, 18, 11, 6])
        XCTAssertEqual(lowercased.score, 36.296196061636195, accuracy: 1e-9)
    }

    func testShortHypothesisWithoutHigherOrdersScoresZero() {
        let bleu = BLEU(hypotheses: ["the cat"], references: ["the cat sat on the mat"])
        XCTAssertEqual(bleu.correct, [2, 1, 0, 0])
        XCTAssertEqual(bleu.total, [2, 1, 0, 0])
        XCTAssertEqual(bleu.score, 0)
    }

    func testIdenticalCorpusScoresHundred() {
        let text = ["a man rides a horse on the beach .", "two dogs play in the snow together"]
        XCTAssertEqual(BLEU(hypotheses: text, references: text).score, 100, accuracy: 1e-9)
    }
}
