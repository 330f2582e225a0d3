import Foundation
import TestSupport
import XCTest
@testable import TextProcessing

/// Issue 11 item 9: a token never contains white space, with any settings. Under UAX #29 rule WB4 a
/// combining mark joins the white space before it into one segment (" \u{301}"), which
/// --keep-punctuation used to emit whole.
final class TokenizerWhiteSpaceTests: XCTestCase {
    static let whiteSpace: [Character] = [" ", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2002}", "\u{2009}",
                                          "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}"]
    static let alphabet: [Character] = whiteSpace + ["x", "é", "\u{301}", "\u{308}", "\u{200D}", "\u{200B}", ".", "!", "日", "😀", "1"]

    func assertNoWhiteSpace(_ tokens: [String], _ text: String, file: StaticString = #filePath, line: UInt = #line) {
        for token in tokens {
            XCTAssertFalse(token.isEmpty, "empty token from \(text.debugDescription)", file: file, line: line)
            XCTAssertFalse(token.unicodeScalars.contains { $0.properties.isWhitespace },
                           "token \(token.debugDescription) from \(text.debugDescription)", file: file, line: line)
        }
    }

    func testSpaceFollowedByCombiningMark() {
        let tokenizer = Tokenizer(settings: .icu(keepPunctuation: true))
        XCTAssertEqual(tokenizer.tokens("x \u{301} y"), ["x", "\u{301}", "y"])
        XCTAssertEqual(tokenizer.tokens("\t\u{308}"), ["\u{308}"])
        XCTAssertEqual(tokenizer.tokens(" \u{301} \u{301} "), ["\u{301}", "\u{301}"])
    }

    func testRandomTextNeverGivesTokensWithWhiteSpace() {
        for (index, settings) in [TokenizerSettings.icu(keepPunctuation: true), .icu(casefold: false, keepPunctuation: true),
                                  .icu(), .whitespace].enumerated() {
            let fast = Tokenizer(settings: settings)
            let icu = Tokenizer(settings: settings)
            icu.setASCIIFastPathForTesting(false)
            var random = SplitMix64(seed: 11 + UInt64(index))
            for _ in 0..<2000 {
                let length = Int(random.next() % 10)
                let text = String((0..<length).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] })
                let tokens = fast.tokens(text)
                assertNoWhiteSpace(tokens, text)
                XCTAssertEqual(tokens, icu.tokens(text), "fast path and ICU on \(text.debugDescription)")
            }
        }
    }

    func testVocabularyHasNoLineStartingWithWhiteSpace() throws {
        let temporary = try TemporaryFolder("ws-vocab")
        defer { temporary.remove() }
        let folder = temporary.path
        try "x \u{301} y\n\u{3000}\u{308}!\n".write(toFile: folder + "/corpus.txt", atomically: true, encoding: .utf8)
        let build = try Vocabulary.build(files: [folder + "/corpus.txt"], settings: .icu(keepPunctuation: true))
        for token in build.vocabulary.tokens { XCTAssertFalse(token.first?.isWhitespace ?? true, token.debugDescription) }
    }
}
