import XCTest
@testable import Deduplication

final class DedupReportTests: XCTestCase {
    func report(rows: [[String]]) throws -> (html: String, result: DedupResult) {
        var options = DedupOptions()
        options.report = true
        let result = try Deduplicator(options: options).run(rows: rows, fields: [0, 1, 2, 3], fieldNames: ["name", "street", "city", "zip"])
        let table = CSVTable(header: ["name", "street", "city", "zip"], rows: rows)
        return (DedupReport.html(result, table: table, fields: [0, 1, 2, 3], title: "people.csv", summary: ["rows \(rows.count)"]), result)
    }

    func testThePageHasEverySectionAndFetchesNothing() throws {
        let (html, result) = try report(rows: DeduplicatorTests.smallTable().rows)
        for id in ["summary", "sizes", "weights", "levels", "clusters", "search", "selftest"] {
            XCTAssertTrue(html.contains("id=\"\(id)\""), "no #\(id)")
        }
        XCTAssertTrue(html.contains("<mark>"), "differing characters are highlighted")
        XCTAssertTrue(html.contains("<details class=\"pair\">"), "pairs are explained")
        for external in ["src=", "href=", "@import", "url(", "http:", "https:"] { XCTAssertFalse(html.contains(external), external) }
        let sample = try XCTUnwrap(result.report)
        XCTAssertEqual(sample.levelWeights.map(\.field), ["name", "street", "city", "zip"], "no whole-record level by default")
        XCTAssertEqual(sample.histogram.reduce(0, +), result.candidatePairs)
        XCTAssertTrue(sample.groups.contains { $0.kind == "largest" })
        XCTAssertTrue(sample.groups.contains { $0.kind == "doubtful" })
    }

    /// The sample is bounded whatever the input: at most 12 + 12 + 6 groups of at most 40 rows.
    func testTheSampleIsBounded() throws {
        let (base, _) = DeduplicatorTests.smallTable()
        var rows: [[String]] = []
        for copy in 0..<15 { rows += base.map { [$0[0], $0[1] + " \(copy)", $0[2], $0[3]] } }
        let (html, result) = try report(rows: rows)
        let sample = try XCTUnwrap(result.report)
        XCTAssertLessThanOrEqual(sample.groups.count, 30)
        XCTAssertTrue(sample.groups.allSatisfy { $0.rows.count <= ReportSample.rowsPerGroup && $0.pairs.count <= ReportSample.pairsPerGroup })
        XCTAssertLessThan(html.utf8.count, 2_000_000)
    }

    func testHighlightMarksTheDifferingSpanAndEscapes() {
        XCTAssertEqual(DedupReport.highlighted("12 oak st", against: "12 oak st"), "12 oak st")
        XCTAssertEqual(DedupReport.highlighted("12 oax st", against: "12 oak st"), "12 oa<mark>x</mark> st")
        XCTAssertEqual(DedupReport.highlighted("12 oa st", against: "12 oak st"), "12 oa<mark class=\"gap\"></mark> st")
        XCTAssertEqual(DedupReport.highlighted("a<b", against: "a<c"), "a&lt;<mark>b</mark>")
    }
}
