import XCTest
import TextProcessing

final class ICUNormalizerTests: XCTestCase {
    func testNFKCCasefoldFoldsWidthCaseAndSharpS() {
        let fold = ICUNormalizer(.nfkcCasefold)
        XCTAssertEqual(fold.normalize("Straße ＡＢＣ １２３"), "strasse abc 123")
        XCTAssertEqual(fold.normalize("ΟΔΟΣ"), "οδοσ")      // case folding maps final sigma to σ
        XCTAssertEqual(fold.normalize("ﬁ"), "fi")
        XCTAssertEqual(fold.normalize("a\u{00AD}b"), "ab")  // default-ignorable soft hyphen removed
        XCTAssertEqual(fold.normalize(""), "")
    }

    func testNFKCKeepsCase() {
        XCTAssertEqual(ICUNormalizer(.nfkc).normalize("Ｈｅｌｌｏ ①"), "Hello 1")
        XCTAssertEqual(ICUNormalizer(.nfc).normalize("e\u{0301}"), "é")
        XCTAssertEqual(ICUNormalizer(.nfd).normalize("é").unicodeScalars.count, 2)
        XCTAssertTrue(ICUNormalizer(.nfc).isNormalized("é"))
        XCTAssertFalse(ICUNormalizer(.nfkcCasefold).isNormalized("ABC"))
    }

    func testLongExpansionGrowsTheBuffer() {
        // U+FDFA expands to 18 code points under NFKC.
        let text = String(repeating: "\u{FDFA}", count: 200)
        XCTAssertEqual(ICUNormalizer(.nfkc).normalize(text).unicodeScalars.count, 18 * 200)
    }

    func testTransliteratorToASCII() throws {
        let ascii = try Transliterator("Any-Latin; Latin-ASCII")
        XCTAssertEqual(ascii.transliterate("Zürich, Straße 5"), "Zurich, Strasse 5")
        XCTAssertEqual(ascii.transliterate("Москва"), "Moskva")
        XCTAssertEqual(ascii.transliterate(""), "")
        XCTAssertEqual(try Transliterator("Latin-ASCII; Lower").transliterate("ÉCOLE"), "ecole")
    }

    func testUnknownTransliteratorThrows() {
        XCTAssertThrowsError(try Transliterator("No-Such-Transform")) { error in
            XCTAssertTrue(error is InputError, "\(error)")
        }
    }

    func testICUVersionIsRecorded() {
        XCTAssertTrue(ICU.version.first?.isNumber ?? false, ICU.version)
    }
}
