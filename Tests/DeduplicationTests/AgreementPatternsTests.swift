import XCTest
@testable import Deduplication

final class AgreementPatternsTests: XCTestCase {
    /// The levels of the pair (row 0, row 1) of `rows`, whole-record level left out.
    func levels(_ rows: [[String]]) throws -> [UInt8] {
        let records = NormalizedRecords(rows: rows, fields: Array(rows[0].indices), normalizer: try AddressNormalizer())
        let vectors = NGramVectorizer(saltFields: false).vectors(records, rows: [0, 1])
        let candidates = CandidatePairs(blocks: [[0, 1]], vectors: vectors, minCosine: 0)
        let patterns = AgreementPatterns(candidates, records: records, representatives: [0, 1], comparator: FieldComparator(), recordLevel: false)
        return Array(patterns.decode(patterns.codes[0]).dropLast())
    }

    func testSwappedFieldsAgreeAtLevelOne() throws {
        XCTAssertEqual(try levels([["miller", "jonathan", "12 oak st"], ["jonathan", "miller", "12 oak street"]]), [1, 1, 0])
        XCTAssertEqual(try levels([["millr", "jonathan", "x"], ["jonathan", "miller", "x"]]), [1, 1, 0], "a typo in a swapped field")
    }

    func testFieldsThatDisagreeWithoutASwapStayAtTheLastLevel() throws {
        XCTAssertEqual(try levels([["miller", "jonathan", "x"], ["jonathan", "smith", "x"]]), [4, 4, 0], "only one direction agrees")
        XCTAssertEqual(try levels([["bellagio buffet", "3600 las vegas blvd"], ["cafe bellagio", "3600 las vegas blvd"]])[1], 0)
    }
}
