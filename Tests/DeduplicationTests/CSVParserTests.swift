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

    func testRecordStartsSayWhichRecordsStandAsWritten() throws {
        let text = "a,b\n1,2\r\n\n\"x\",y\n 3,4\n5 ,6\n7,\n8,9"
        let table = try parse(text)
        let starts = [4, 10, 16, 21, 26, 29]  // the first byte of each record
        let verbatim = [true, false, false, false, true, true]
        XCTAssertEqual(table.recordStarts, zip(starts, verbatim).map { $1 ? $0 : ~$0 })
    }

    /// Random CSV text as files come: fields quoted or not, spaces before and after, quotes inside,
    /// LF, CRLF or CR line breaks, blank lines, a last line with or without a break.
    func randomCSVText(seed: UInt64, width: Int) -> String {
        var generator = SplitMix64(seed: seed)
        func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt64(items.count))] }
        let plain = ["", "a", "Zürich", "12", "x y", " ", "  lead", "trail "], quoted = ["\"\"", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"q\" "]
        let breaks = ["\n", "\r\n", "\r", "\n\n"]
        var text = (0..<width).map { "h\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<(1 + Int(generator.next() % 12)) {
            if row > 0 { text += pick(breaks) }
            text += (0..<width).map { _ in generator.next() % 3 == 0 ? pick(quoted) : pick(plain) }.joined(separator: ",")
        }
        return text + pick(["", "\n", "\r\n"])
    }

    func testWritingFromTheBytesIsWritingTheParsedRows() throws {
        for seed in 0..<300 as Range<UInt64> {
            let width = 1 + Int(seed % 4)
            let bytes = Array(randomCSVText(seed: seed, width: width).utf8)
            for parser in [CSVParser(delimiter: 0x2C), CSVParser(delimiter: 0x2C, trimSpacesAfterDelimiter: false)] {
                let table = try parser.parse(bytes)
                for index in [width, seed % 2 == 0 ? 0 : width - 1] {  // a column appended, a field replaced
                    let column: (index: Int, text: (Int) -> String) = (index, { "id\($0)" })
                    let header = table.header + ["cluster_id"]
                    let expected = table.csvParts(header: header, delimiter: table.delimiter, withHeader: true, column: column)
                    var letGo = table
                    letGo.rows = CSVRows()
                    let written = letGo.csvParts(from: bytes, parser: parser, header: header, column: column)
                    XCTAssertEqual(written.map { Array($0.joined()) }, Array(expected.joined()), "seed \(seed) column \(index)")
                }
            }
        }
    }

    func testWritingFromOtherBytesIsRefused() throws {
        let bytes = Array("a,b\n1,2\n\"3\",4\n".utf8)
        var table = try CSVParser().parse(bytes)
        table.rows = CSVRows()
        let column: (index: Int, text: (Int) -> String) = (2, { String($0) })
        XCTAssertNotNil(table.csvParts(from: bytes, parser: CSVParser(), header: ["a", "b", "c"], column: column))
        XCTAssertNil(table.csvParts(from: Array(bytes[..<9]), parser: CSVParser(), header: ["a", "b", "c"], column: column))
        XCTAssertNil(table.csvParts(from: Array("a,b\n1,2\n3\n".utf8), parser: CSVParser(), header: ["a", "b", "c"], column: column))
    }
}
