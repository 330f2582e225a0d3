import XCTest
import TextProcessing

final class DetokenizerTests: XCTestCase {
    func testPunctuationBracketsAndQuotes() {
        XCTAssertEqual(Detokenizer.join(["a", "dog", "(", "brown", ")", "runs", "."]), "a dog (brown) runs.")
        XCTAssertEqual(Detokenizer.join(["he", "said", "\"", "hello", ",", "world", "\"", "!"]), "he said \"hello, world\"!")
        XCTAssertEqual(Detokenizer.join(["¿", "qué", "?", "«", "oui", "»"]), "¿qué? «oui»")
        XCTAssertEqual(Detokenizer.join(["it", "costs", "$", "5", "(", "[", "x", "]", ")", ";", "ok", "..."]), "it costs $5 ([x]); ok...")
    }

    func testCliticsAndUnspacedScripts() {
        XCTAssertEqual(Detokenizer.join(["John", "'s", "dog", "did", "n't", "bark"]), "John's dog didn't bark")
        XCTAssertEqual(Detokenizer.join(["我", "爱", "北京", "。"]), "我爱北京。")
        XCTAssertEqual(Detokenizer.join(["tokyo", "東京", "に"]), "tokyo 東京に")
    }

    func testEdgeCases() {
        XCTAssertEqual(Detokenizer.join([]), "")
        XCTAssertEqual(Detokenizer.join([".", "a"]), ". a")
        XCTAssertEqual(Detokenizer.join(["(", "a"]), "(a")
        XCTAssertEqual(Detokenizer.join(["a", "", "b"]), "a b")
    }
}
