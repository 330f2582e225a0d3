import Foundation
import XCTest
@testable import TextProcessing

/// The ASCII fast path re-implements NFKC_Casefold + ICU word segmentation for ASCII text; these
/// tests hold it to ICU itself on seeded random text over the characters the rules distinguish.
final class TokenizerASCIIFastPathTests: XCTestCase {
    static let alphabet: [Character] = Array("aZ09 \t\r\u{0B}\u{0C}:.,;'_\"-!@#/<>()x1_.'  \u{01}\u{7F}")
    /// With characters that send a part of the line to ICU: accents, a lone combining mark (which
    /// attaches to a preceding space), ß, İ, CJK, Thai, Hebrew, no-break and ideographic spaces, ﬁ, ½.
    static let mixedAlphabet: [Character] = alphabet + ["é", "\u{301}", "ß", "İ", "日", "本", "ไ", "ท", "א", "\u{00A0}", "\u{3000}", "ﬁ", "½", "Ä", "’", "\u{200D}", "😀"]

    func compare(_ settings: TokenizerSettings, seed: UInt64, alphabet: [Character] = alphabet,
                 file: StaticString = #filePath, line: UInt = #line) {
        let fast = Tokenizer(settings: settings)
        let icu = Tokenizer(settings: settings)
        icu.setASCIIFastPathForTesting(false)
        var random = SplitMix64(seed: seed)
        for _ in 0..<3000 {
            let length = Int(random.next() % 14)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            XCTAssertEqual(fast.tokens(text), icu.tokens(text), "text: \(text.debugDescription)", file: file, line: line)
        }
    }

    func testDefaultSettingsMatchICU() { compare(.icu(), seed: 1) }
    func testKeepPunctuationMatchesICU() { compare(.icu(keepPunctuation: true), seed: 2) }
    func testNoCasefoldMatchesICU() { compare(.icu(casefold: false, keepPunctuation: true), seed: 3) }
    func testMixedScriptsMatchICU() {
        compare(.icu(), seed: 4, alphabet: Self.mixedAlphabet)
        compare(.icu(keepPunctuation: true), seed: 5, alphabet: Self.mixedAlphabet)
        compare(.icu(casefold: false), seed: 6, alphabet: Self.mixedAlphabet)
    }

    func testRealEnglishMatchesICU() throws {
        let fast = Tokenizer(settings: .icu(keepPunctuation: true))
        let icu = Tokenizer(settings: .icu(keepPunctuation: true))
        icu.setASCIIFastPathForTesting(false)
        let lines = [
            "In the beginning God created the heaven and the earth.",
            "It's 10:30 a.m., the U.S. said; prices rose 3.5% to $1,234.56 (up 0.2).",
            "e-mail: first.last@sub.example.co.uk -- see http://x.org/a_b?c=d&e=f",
            "__init__ snake_case CamelCase 1st 2nd 3rd 1'000 a'b'c 'quoted' \"double\"",
            "mr. n't 's 're 've ... ?! :-) ;-) 1.2.3.4 a.b.c 1,2,3 1;2 a:b:c",
        ]
        for text in lines { XCTAssertEqual(fast.tokens(text), icu.tokens(text), text) }
    }
}

extension TokenizerASCIIFastPathTests {
    /// Penn Treebank validation text (benchmark data, skipped when absent), with and without the fast path.
    func testPennTreebankMatchesICU() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/ptb/ptb.valid.txt.gz").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("benchmark data \(path) is absent") }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -dc '\(path)' | head -3000"]
        let pipe = Pipe()
        gzip.standardOutput = pipe
        try gzip.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gzip.waitUntilExit()
        let fast = Tokenizer(settings: .icu(keepPunctuation: true))
        let icu = Tokenizer(settings: .icu(keepPunctuation: true))
        icu.setASCIIFastPathForTesting(false)
        var lines = 0
        for line in text.split(separator: "\n") {
            XCTAssertEqual(fast.tokens(String(line)), icu.tokens(String(line)), String(line))
            lines += 1
        }
        XCTAssertEqual(lines, 3000)
    }
}

extension TokenizerASCIIFastPathTests {
    /// Non-ASCII words are remembered in a cache that empties itself when full (65,536 words); the
    /// tokens must stay ICU's before, across and after a reset.
    func testWordCacheAcrossResetsMatchesICU() {
        let fast = Tokenizer(settings: .icu())
        let icu = Tokenizer(settings: .icu())
        icu.setASCIIFastPathForTesting(false)
        let words = ["Männer", "weiße", "STRASSE", "für", "İstanbul", "北京", "ﬁne", "Ǆemal"]
        for i in 0..<70_000 {
            let line = "x \(words[i % words.count]) ü\(i) \(words[(i * 7) % words.count])s y"
            let expected = i % 997 == 0 || i > 65_000 ? icu.tokens(line) : nil
            let got = fast.tokens(line)
            if let expected { XCTAssertEqual(got, expected, line) }
            XCTAssertEqual(got[2], "ü\(i)", line)
        }
    }
}
