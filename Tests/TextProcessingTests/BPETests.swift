import Foundation
import TestSupport
import XCTest
@testable import TextProcessing

/// Properties of byte-pair encoding beyond the subword-nmt fixtures: reading codes files, the
/// segmenter's invariants, and the learner on the ICU tokenizer's words.
final class BPETests: XCTestCase {
    func codes(_ lines: [String]) throws -> BPECodes { try BPECodes(lines: ["#version: 0.2"] + lines, source: "codes.bpe") }

    func testCodesFileRoundTripsAndNamesTheBadLine() throws {
        let codes = try self.codes(["t h", "th e</w>", "  a b  ", "x\ty z"])
        XCTAssertEqual(codes.merges, [.init("t", "h"), .init("th", "e</w>"), .init("a", "b"), .init("x\ty", "z")])
        XCTAssertEqual(try BPECodes(lines: codes.text.split(separator: "\n").map(String.init), source: "again"), codes)
        XCTAssertEqual(try BPECodes(lines: ["#version: 0.2", "a b", "", ""], source: "f").merges.count, 1, "empty lines at the end")
        XCTAssertEqual(try BPECodes(lines: ["#version: 0.2.0"], source: "f").merges, [], "a header alone has no merges")
        func error(_ lines: [String]) -> InputError? {
            do { _ = try BPECodes(lines: lines, source: "codes.bpe"); return nil } catch { return error as? InputError }
        }
        XCTAssertEqual(error(["t h"])?.line, 1, "no header")
        XCTAssertEqual(error([])?.line, 1, "empty")
        XCTAssertEqual(error(["#version: 0.1", "t h"])?.line, 1, "version 0.1 has no </w> on the last character")
        XCTAssertEqual(error(["#version: 0.2", "t h", "a b c"])?.line, 3)
        XCTAssertEqual(error(["#version: 0.2", "t h", "", "a b"])?.line, 3)
        XCTAssertEqual(error(["#version: 0.2", "t  h"])?.line, 2)
        let message = error(["#version: 0.2", "one\nline"])!.description
        XCTAssertTrue(message.hasPrefix("codes.bpe:2: not a merge"), message)
        XCTAssertFalse(message.contains("\n"))
    }

    func testSegmentsAsApplyBPEOnAHandExample() throws {
        // Ranks decide, not position (expected values from subword-nmt's BPE class).
        let segmenter = BPESegmenter(codes: try codes(["l o", "e r</w>", "lo w", "low er</w>", "w e"]))
        XCTAssertEqual(segmenter.pieces("lower"), ["lower"])
        XCTAssertEqual(segmenter.pieces("lowest"), ["low@@", "e@@", "s@@", "t"])
        XCTAssertEqual(segmenter.pieces("newer"), ["n@@", "e@@", "w@@", "er"])
        XCTAssertEqual(segmenter.pieces("l"), ["l"], "one character is left alone")
        XCTAssertEqual(segmenter.pieces("😀x"), ["😀@@", "x"])
        // Every occurrence of the best pair at once, left to right: "a a a a</w>" -> "aa a a</w>" (the
        // second "a a" overlaps the first), then "aa aa</w>" ("aa aa" needs a non-final second "aa").
        // Checked with subword-nmt's BPE class.
        let overlapping = BPESegmenter(codes: try codes(["a a", "aa aa", "a a</w>"]))
        XCTAssertEqual(overlapping.pieces("aaaa"), ["aa@@", "aa"])
        XCTAssertEqual(overlapping.pieces("aaa"), ["aa@@", "a"])
        // A pair listed twice keeps its first rank.
        let duplicate = BPESegmenter(codes: try codes(["b c</w>", "a b", "b c</w>"]))
        XCTAssertEqual(duplicate.pieces("abc"), ["a@@", "bc"])
    }

    func testGlossariesStayWhole() throws {
        let segmenter = BPESegmenter(codes: try codes(["U S", "S A</w>", "1 9"]), glossaries: ["USA"])
        XCTAssertEqual(segmenter.pieces("1934USABUSA"), ["19@@", "3@@", "4@@", "USA@@", "B@@", "USA"])
        XCTAssertEqual(segmenter.pieces("USA"), ["USA"])
    }

    func testCacheDoesNotChangeTheResult() throws {
        let codes = try BPECodes(contentsOf: BPEFixtureTests.path("codes.s1500.bpe"))
        let cached = BPESegmenter(codes: codes), forgetful = BPESegmenter(codes: codes, cacheLimit: 1)
        let words = BPEWords(settings: .whitespace)
        try LineReader(path: BPEFixtureTests.path("test.txt")).forEachLine { line in
            let text = String(decoding: line, as: UTF8.self)
            for word in words.words(text) + words.words(text) {
                XCTAssertEqual(cached.pieces(word), forgetful.pieces(word))
            }
        }
    }

    /// Joining a word's pieces gives the word back; every piece is a character or a symbol the
    /// codes make (a final piece with </w>).
    func testPiecesSpellTheWordFromTheCodesAlphabet() throws {
        let counts = try BPEWords.count(files: [BPEFixtureTests.path("train.txt")], settings: .whitespace).counts
        let codes = BPELearner(merges: 800).learn(counts: counts)
        var alphabet = Set<String>()
        for merge in codes.merges { alphabet.formUnion([merge.left, merge.right, merge.left + merge.right]) }
        let segmenter = BPESegmenter(codes: codes)
        for (word, _) in counts.sorted() {
            let pieces = segmenter.pieces(word)
            XCTAssertEqual(BPEPieces.words(pieces), [word])
            for (index, piece) in pieces.enumerated() {
                let final = index == pieces.count - 1
                XCTAssertEqual(BPEPieces.continues(piece), !final)
                let symbol = final ? piece : String(piece.dropLast(2))
                XCTAssertTrue(symbol.unicodeScalars.count == 1 || alphabet.contains(final ? symbol + "</w>" : symbol),
                              "\(word): \(piece) is not a symbol of the codes")
            }
        }
    }

    func testTiesGoToTheGreatestPairByCodePoint() {
        // Every pair occurs twice; Python's max over (2, pair) takes the greatest pair by code point:
        // U+FF5E is above U+1F600's UTF-16 lead surrogate, but below it by code point.
        let codes = BPELearner(merges: 1).learn(words: [("ab", 2), ("\u{FF5E}c", 2), ("😀d", 2)])
        XCTAssertEqual(codes.merges, [.init("😀", "d</w>")])
        let latin = BPELearner(merges: 2).learn(words: [("xy", 3), ("ab", 3), ("aby", 1)])
        XCTAssertEqual(latin.merges, [.init("x", "y</w>"), .init("a", "b</w>")])
    }

    func testStopsBelowTheMinimumFrequency() {
        XCTAssertEqual(BPELearner(merges: 10).learn(words: [("ab", 3), ("cd", 1)]).merges, [.init("a", "b</w>")])
        XCTAssertEqual(BPELearner(merges: 10, minFrequency: 1).learn(words: [("ab", 3), ("cd", 1)]).merges.count, 2)
        XCTAssertEqual(BPELearner(merges: 10).learn(words: [("a", 5)]).merges, [], "no pairs at all")
    }

    func testSpaceSplitKeepsPythonsLineBoundaries() {
        let words = BPEWords(settings: .whitespace)
        XCTAssertEqual(words.words("  a\tb  c "), ["a\tb", "c"])
        XCTAssertEqual(words.words("form\u{0C}feed lone\rreturn x \u{2028}y"), ["form\u{0C}", "feed", "lone", "return", "x", "\u{2028}", "y"])
        XCTAssertEqual(words.words("a\u{00A0}b"), ["a\u{00A0}b"], "no-break space is not a separator")
    }

    func testICUWordsLearnAsTheirTokenizedText() throws {
        let text = ["Der Wasserfall fällt; die Wasserfälle fallen.", "Zürich, ZÜRICH und Zürichsee!", "don't stop: 3.5 km"]
        let folder = try TemporaryFolder("bpe-icu")
        defer { folder.remove() }
        let raw = folder.file("raw.txt"), tokenized = folder.file("tok.txt")
        try (text.joined(separator: "\n") + "\n").write(toFile: raw, atomically: true, encoding: .utf8)
        let tokenizer = Tokenizer(settings: .icu())
        try (text.map { tokenizer.tokens($0).joined(separator: " ") }.joined(separator: "\n") + "\n").write(toFile: tokenized, atomically: true, encoding: .utf8)
        let learner = BPELearner(merges: 30, minFrequency: 1)
        let icu = learner.learn(counts: try BPEWords.count(files: [raw], settings: .icu()).counts)
        let spaces = learner.learn(counts: try BPEWords.count(files: [tokenized], settings: .whitespace).counts)
        XCTAssertEqual(icu, spaces)
        XCTAssertEqual(icu.merges.count, 30)
    }

    func testSubwordVocabularyKeepsEveryCharacter() throws {
        let counts = TokenCounts()
        counts.add("ab", times: 9)
        counts.add("zq", times: 1)
        let vocabulary = Vocabulary.build(pieces: counts, characters: ["a", "b", "z", "q"], minCount: 5, maxSize: 5)
        XCTAssertEqual(Array(vocabulary.tokens.prefix(5)), ["<pad>", "<unk>", "<bos>", "<eos>", "ab"])
        for character in ["a", "b", "z", "q"] {
            XCTAssertTrue(vocabulary.contains(character) && vocabulary.contains(character + "@@"), character)
        }
        // A vocabulary-aware segmenter then spells any word of those characters without <unk>.
        let segmenter = BPESegmenter(codes: try codes(["z q</w>", "q z"]), vocabulary: Set(vocabulary.tokens))
        XCTAssertEqual(segmenter.pieces("qzq"), ["q@@", "z@@", "q"])
    }

    func testJoinsPiecesIntoWords() {
        XCTAssertEqual(BPEPieces.words(["low@@", "est", "new@@", "er", "x"]), ["lowest", "newer", "x"])
        XCTAssertEqual(BPEPieces.words(["dangling@@"]), ["dangling"])
        XCTAssertEqual(BPEPieces.words([]), [])
    }
}
