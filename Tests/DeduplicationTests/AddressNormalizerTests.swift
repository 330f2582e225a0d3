import XCTest
@testable import Deduplication

final class AddressNormalizerTests: XCTestCase {
    let normalizer = try! AddressNormalizer()

    func testAbbreviationsPunctuationAndNumbers() {
        XCTAssertEqual(normalizer.normalize("12 N. Main St., Apt #4"), "12 north main street apartment 4")
        XCTAssertEqual(normalizer.normalize("5 Oak Rd"), "5 oak road")
        XCTAssertEqual(normalizer.normalize("77 Sunset Blvd, Ste 200"), "77 sunset boulevard suite 200")
        XCTAssertEqual(normalizer.normalize("O'Brien"), "obrien")
        XCTAssertEqual(normalizer.normalize("  --  "), "")
    }

    func testSaintAndLoneLetters() {
        XCTAssertEqual(normalizer.normalize("St James"), "saint james")
        XCTAssertEqual(normalizer.normalize("Church St"), "church street")
        XCTAssertEqual(normalizer.normalize("N"), "n", "a lone letter is an initial, not a direction")
    }

    func testUnicodeIsFoldedToASCII() {
        XCTAssertEqual(normalizer.normalize("Bahnhofstraße 5, Zürich"), "bahnhofstrasse 5 zurich")
        XCTAssertEqual(normalizer.normalize("ＡＢＣ １２"), "abc 12")
        XCTAssertEqual(normalizer.normalize("Москва, ул. Тверская"), "moskva ul tverskaa")
        XCTAssertEqual(normalizer.normalize("Rue de l’Église"), "rue de leglise")
    }

    /// One thread's scratch buffers carried from call to call give what fresh calls give.
    func testReusedScratchGivesWhatFreshCallsGive() {
        let texts = ["12 N. Main St., Apt #4", "", "St James", "Bahnhofstraße 5, Zürich", "O'Brien  Rd", "N", "ＡＢＣ １２",
                     "a very long street name with many words and no abbreviations at all", "w 5th ave ste 100", "  --  ", "st"]
        var scratch = AddressNormalizer.Scratch()
        var together: [UInt8] = []
        for text in texts + texts.reversed() {
            let start = together.count
            normalizer.normalize(utf8: Array(text.utf8)[...], into: &together, scratch: &scratch)
            XCTAssertEqual(String(decoding: together[start...], as: UTF8.self), normalizer.normalize(text), text)
        }
    }

    /// The abbreviation lookup finds every key of its table and nothing else.
    func testAbbreviationTableFindsItsKeysOnly() {
        let table = AbbreviationTable.streetTypes
        let packed = AddressNormalizer.packed(table)
        for (key, value) in table { XCTAssertEqual(packed[AddressNormalizer.pack(Array(key.utf8)[...])!], Array(value.utf8), key) }
        for word in ["main", "x", "zzzzzzzz", "12", "streets"] where table[word] == nil {
            XCTAssertNil(packed[AddressNormalizer.pack(Array(word.utf8)[...])!], word)
        }
    }
}
