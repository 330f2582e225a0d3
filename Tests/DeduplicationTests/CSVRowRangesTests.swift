import XCTest
import MessagePassing
import Support
@testable import Deduplication

/// N ranks splitting one CSV file (`CSVRowRanges`), simulated in one process: the ranks' rows,
/// concatenated, are the rows and lines one process reads, for every rank count and files whose
/// quoted fields hold LF, CRLF and CR line breaks and doubled quotes across the cuts.
final class CSVRowRangesTests: XCTestCase {
    /// What `CSVParser.parseShare` computes on each of `ranks` ranks, with the prefix sums done here.
    func simulate(_ bytes: [UInt8], ranks: Int) throws -> (rows: [[String]], lines: [Int]) {
        let read = { (range: Range<Int>) in Array(bytes[range.clamped(to: 0..<bytes.count)]) }
        let headerEnd = try CSVRowRanges.headerEnd(size: bytes.count, file: "t.csv", read: read)
        let raws = (0..<ranks).map { CSVRowRanges.rawRange(rank: $0, ranks: ranks, dataStart: headerEnd, end: bytes.count) }
        let windows = raws.map { max(headerEnd, $0.lowerBound - 1)..<min(bytes.count, $0.upperBound + 1) }
        let header = read(0..<headerEnd)
        var quotesBefore = 0
        var starts: [Int?] = []
        for (rank, raw) in raws.enumerated() {
            starts.append(rank == 0 ? headerEnd
                : CSVRowRanges.firstRowStart(in: read(windows[rank])[...], windowStart: windows[rank].lowerBound, range: raw, quoted: quotesBefore % 2 == 1))
            quotesBefore += CSVRowRanges.quoteCount(bytes[raw])
        }
        var rows: [[String]] = [], lines: [Int] = []
        var breaksBefore = 0
        for rank in 0..<ranks {
            let own = CSVRowRanges.ownRange(rank: rank, starts: starts, end: bytes.count)
            var share = header + read(windows[rank])
            try CSVRowRanges.keep(own, of: &share, headerCount: header.count, window: windows[rank]) { $1 += read($0) }
            XCTAssertEqual(share, header + read(own), "rank \(rank) of \(ranks): the header and its rows")
            let table = try CSVParser().parse(share, headerCount: header.count, breaksBefore: breaksBefore, file: "t.csv")
            rows += table.rows
            lines += table.lines
            breaksBefore += CSVRowRanges.lineBreaks(share[header.count...])
        }
        return (rows, lines)
    }

    func assertEveryRankCountReadsTheFile(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let bytes = Array(text.utf8)
        let whole = try CSVParser().parse(bytes, file: "t.csv")
        for ranks in 1...min(24, bytes.count) {
            let split = try simulate(bytes, ranks: ranks)
            XCTAssertEqual(split.rows, Array(whole.rows), "\(ranks) ranks", file: file, line: line)
            XCTAssertEqual(split.lines, whole.lines, "\(ranks) ranks", file: file, line: line)
        }
    }

    func testQuotedLineBreaksAcrossEveryCut() throws {
        try assertEveryRankCountReadsTheFile("id,address\r\n1,\"12 high st\r\nflat 2\"\r\n2,\"a \"\"b\"\"\nc\nd\"\r\n3,plain\r\n\r\n4,\"x\ry\"\r\n5,\"\"\"\"\n6,last")
    }

    func testHeaderWithAQuotedLineBreakAndByteOrderMark() throws {
        try assertEveryRankCountReadsTheFile("\u{FEFF}\n\"first\nname\",city\n\"a\nb\",c\n\"\",\"\n\n\"\nd,e\n")
    }

    func testGeneratedFilesWithQuotedLineBreaks() throws {
        var generator = SplitMix64(seed: 7)
        let pieces = ["a", "b c", "\n", "\r\n", "\"\"", ",", "x"]
        for _ in 0..<20 {
            var text = "k,v\n"
            for row in 0..<Int(generator.next() % 12) {
                let field = (0..<Int(generator.next() % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
                text += "\(row),\"\(field)\"" + (generator.next() % 2 == 0 ? "\n" : "\r\n")
            }
            try assertEveryRankCountReadsTheFile(text)
        }
    }

    func testAMalformedRowIsReportedWithTheLineOneProcessGives() throws {
        let bytes = Array("a,b\n1,\"x\ny\"\n2,3\n4,5,6\n7,8\n".utf8)
        XCTAssertThrowsError(try CSVParser().parse(bytes, file: "t.csv")) { XCTAssertEqual(($0 as? InputError)?.line, 5) }
        for ranks in 1...6 {
            XCTAssertThrowsError(try simulate(bytes, ranks: ranks), "\(ranks) ranks") { XCTAssertEqual(($0 as? InputError)?.line, 5) }
        }
    }

    /// The N-rank path on one rank (the oracle's own communicator) is the ordinary run.
    func testTheRankPathOnOneProcessIsTheOrdinaryRun() throws {
        var rows: [[String]] = []
        for i in 0..<120 { rows.append(["\(i % 40) high street", i % 3 == 0 ? "springfeld" : "springfield"]) }
        let deduplicator = try Deduplicator()
        let ordinary = try deduplicator.run(rows: rows, fields: [0, 1])
        let ranked = deduplicator.run(rows: rows, fields: [0, 1], communicator: SingleProcessCommunicator())
        XCTAssertEqual(ranked.clusterIDs, ordinary.clusterIDs)
        XCTAssertEqual(ranked.candidatePairs, ordinary.candidatePairs)
        XCTAssertEqual(ranked.examinedPairs, ordinary.examinedPairs)
    }
}
