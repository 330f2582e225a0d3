import XCTest
import TextProcessing
@testable import Deduplication

final class CSVParserTests: XCTestCase {
    func parse(_ text: String, skip: Bool = false) throws -> CSVTable {
        try CSVParser(skipBadRows: skip).parse(Array(text.utf8), file: "t.csv")
    }

    func testQuotedFieldsWithDelimitersQuotesAndNewlines() throws {
        let table = try parse("name,address\r\n\"Smith, J\",\"1 \"\"Main\"\" St\nApt 2\"\r\nDoe,2 High St\r\n")
        XCTAssertEqual(table.header, ["name", "address"])
        XCTAssertEqual(table.rows, [["Smith, J", "1 \"Main\" St\nApt 2"], ["Doe", "2 High St"]])
        XCTAssertEqual(table.lines, [2, 4])
    }

    func testByteOrderMarkAndFebrlSpacesAfterDelimiter() throws {
        let table = try parse("\u{FEFF}rec_id, given_name, surname\nrec-1-org, , waller\nrec-1-dup-0, \"a, b\" , x")
        XCTAssertEqual(table.header, ["rec_id", "given_name", "surname"])
        XCTAssertEqual(table.rows, [["rec-1-org", "", "waller"], ["rec-1-dup-0", "a, b", "x"]])
    }

    func testSemicolonAndTabDelimitersAreDetected() throws {
        XCTAssertEqual(try parse("a;b\n1,5;2\n").rows, [["1,5", "2"]])
        XCTAssertEqual(try parse("a\tb\n1\t2\n").rows, [["1", "2"]])
    }

    func testBlankLinesAreIgnoredAndLastLineNeedsNoBreak() throws {
        let table = try parse("a,b\n\n1,2\n\n3,4")
        XCTAssertEqual(table.rows, [["1", "2"], ["3", "4"]])
        XCTAssertEqual(table.lines, [3, 5])
    }

    func testMalformedRowsNameTheirLine() {
        XCTAssertThrowsError(try parse("a,b\n1,2\n3\n")) { error in
            XCTAssertEqual((error as? InputError)?.line, 3)
            XCTAssertTrue("\(error)".contains("t.csv:3"), "\(error)")
        }
        XCTAssertThrowsError(try parse("a,b\n1,\"2\n3,4\n")) { XCTAssertEqual(($0 as? InputError)?.line, 2) }
        XCTAssertThrowsError(try parse("a,b\n1,\"2\"x\n")) { XCTAssertEqual(($0 as? InputError)?.line, 2) }
        XCTAssertThrowsError(try parse("a,b\n1,2\"\n")) { XCTAssertEqual(($0 as? InputError)?.line, 2) }
        XCTAssertThrowsError(try CSVParser().parse([0x61, 0x0A, 0xFF, 0x0A], file: "t.csv")) { XCTAssertEqual(($0 as? InputError)?.line, 2) }
        XCTAssertThrowsError(try parse(""))
    }

    func testSkipBadRowsCountsThem() throws {
        let table = try parse("a,b\n1,2\n3\n\"x\"y,1\n5,6\n", skip: true)
        XCTAssertEqual(table.rows, [["1", "2"], ["5", "6"]])
        XCTAssertEqual(table.skipped.map(\.line), [3, 4])
    }

    func testLineNumbersCountEmbeddedNewlines() throws {
        XCTAssertThrowsError(try parse("a,b\n\"x\ny\",1\n2\n")) { XCTAssertEqual(($0 as? InputError)?.line, 4) }
    }

    func testWriterRoundTrips() throws {
        let table = CSVTable(header: ["a", "b c"], rows: [["x,y", "say \"hi\""], ["line\nbreak", " padded "], ["", "ü"]])
        let back = try CSVParser().parse(table.csvBytes())
        XCTAssertEqual(back.header, table.header)
        XCTAssertEqual(back.rows, table.rows)
    }

    func testLinesFormat() throws {
        let table = try CSVParser.parseLines(Array("12 Main St\r\n\n  \n3 High Rd".utf8))
        XCTAssertEqual(table.header, ["text"])
        XCTAssertEqual(table.rows, [["12 Main St"], ["3 High Rd"]])
        XCTAssertEqual(table.lines, [1, 4])
    }
}
