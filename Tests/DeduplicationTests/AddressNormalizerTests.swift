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
}
