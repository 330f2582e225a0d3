import XCTest
@testable import Deduplication

/// The flat row storage: the rows and fields that went in come out, a malformed row leaves no
/// trace, and concatenating shares gives the whole.
final class CSVRowsTests: XCTestCase {
    let sample = [["a", "", "ü, \"x\""], ["", "", ""], ["line\nbreak", "12 high st", "zürich"]]

    func testRowsAndFieldsComeBackAsGiven() {
        let rows = CSVRows(sample)
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.width, 3)
        XCTAssertEqual(Array(rows), sample)
        XCTAssertEqual(rows.fieldText(2, 2), "zürich")
        XCTAssertEqual(Array(rows.field(0, 2)), Array("ü, \"x\"".utf8))
        XCTAssertTrue(rows.field(1, 1).isEmpty)
        XCTAssertEqual(rows.bytes.count, sample.joined().map(\.utf8.count).reduce(0, +), "the texts alone, end to end")
    }

    /// The output written as parts on all cores is, end to end, the one-array output, with the
    /// cluster id appended or replacing the input's column; with one part per chunk of rows.
    func testOutputPartsJoinToTheOutput() throws {
        let rows = (0..<20_000).map { i in [sample[i % 3][0], "\(i)", sample[(i + 1) % 3][2], " pad "] }
        for header in [["a", "b", "c", "d"], ["a", "cluster_id", "c", "d"]] {
            let table = CSVTable(header: header, rows: CSVRows(rows))
            let columns = try DedupColumns(table: table, fields: "a,c", labels: nil, file: "t.csv")
            let ids = rows.indices.map { $0 / 3 }
            let parts = columns.outputCSVParts(table, clusterIDs: ids)
            XCTAssertGreaterThan(parts.count, 2)
            XCTAssertEqual(Array(parts.joined()), columns.outputCSV(table, clusterIDs: ids))
            XCTAssertEqual(parts[0], Array((header.count == 4 && header[1] == "b" ? "a,b,c,d,cluster_id\n" : "a,cluster_id,c,d\n").utf8))
        }
    }

    func testADiscardedRowLeavesNoTrace() {
        var rows = CSVRows(width: 2)
        rows.append(["x", "y"])
        rows.appendField(Array("half".utf8))
        rows.discardPendingRow()
        rows.append(["z", "w"])
        XCTAssertEqual(rows, [["x", "y"], ["z", "w"]])
    }

    func testSharesConcatenateToTheWhole() {
        var joined = CSVRows()
        joined.append(contentsOf: CSVRows(Array(sample[..<1])))
        joined.append(contentsOf: CSVRows())
        joined.append(contentsOf: CSVRows(Array(sample[1...])))
        XCTAssertEqual(joined, CSVRows(sample))
        XCTAssertNotEqual(joined, CSVRows(Array(sample.reversed())))
    }

    /// The parser fills the flat rows (a skipped bad row leaves none of its fields behind), and
    /// writing them back reads as the same table.
    func testParsedRowsWriteBackTheSameTable() throws {
        let text = "k,v\n1,\"a\nb\"\n2,\"say \"\"hi\"\"\"\n3,x,extra\n4,\n"
        let table = try CSVParser(skipBadRows: true).parse(Array(text.utf8), file: "t.csv")
        XCTAssertEqual(table.rows, [["1", "a\nb"], ["2", "say \"hi\""], ["4", ""]])
        XCTAssertEqual(table.skipped.map(\.line), [5])
        XCTAssertEqual(try CSVParser().parse(table.csvBytes(), file: "back.csv").rows, table.rows)
    }
}
