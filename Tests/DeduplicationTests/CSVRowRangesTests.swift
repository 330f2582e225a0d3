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
        let counted = { (range: Range<Int>) in CSVRowRanges.quotesAndLineBreaks(bytes[range], next: range.upperBound < bytes.count ? bytes[range.upperBound] : nil) }
        var quotesBefore = 0, rawBreaksBefore = 0
        var starts: [Int?] = [], breaksBefore: [Int] = []
        for (rank, raw) in raws.enumerated() {
            let found = rank == 0 ? headerEnd
                : CSVRowRanges.firstRowStart(in: read(windows[rank])[...], windowStart: windows[rank].lowerBound, range: raw, quoted: quotesBefore % 2 == 1)
            starts.append(found)
            breaksBefore.append(rawBreaksBefore + (found.map { counted(raw.lowerBound..<$0).lineBreaks } ?? 0))
            quotesBefore += counted(raw).quotes
            rawBreaksBefore += counted(raw).lineBreaks
        }
        var rows: [[String]] = [], lines: [Int] = []
        for rank in 0..<ranks {
            let own = CSVRowRanges.ownRange(rank: rank, starts: starts, end: bytes.count)
            var share = header + read(windows[rank])
            try CSVRowRanges.keep(own, of: &share, headerCount: header.count, window: windows[rank]) { $1 += read($0) }
            XCTAssertEqual(share, header + read(own), "rank \(rank) of \(ranks): the header and its rows")
            let table = try CSVParser().parse(share, headerCount: header.count, breaksBefore: breaksBefore[rank], file: "t.csv")
            rows += table.rows
            lines += table.lines
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

    func testAFileOfManyVectorBlocks() throws {
        var generator = SplitMix64(seed: 3)
        var text = "k,v\r\n"
        for row in 0..<3000 {
            text += "\(row),\"\(generator.next() % 4 == 0 ? "a\r\nb" : "c \"\"d\"\"")\"" + (generator.next() % 3 == 0 ? "\r\n" : "\n")
        }
        try assertEveryRankCountReadsTheFile(text)
    }

    func testQuotesAndLineBreaksAreCountedAsByteByByte() {
        var generator = SplitMix64(seed: 11)
        let alphabet = Array("a\"\n\r,".utf8)
        for length in [0, 1, 31, 32, 33, 8159, 8160, 8161, 8192, 20_000] {
            let bytes = (0..<(length + 3)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }[3...]
            for next in [nil, 0x0A, 0x0D, 0x61] as [UInt8?] {
                var quotes = 0, breaks = 0
                for i in bytes.indices {
                    if bytes[i] == 0x22 { quotes += 1 }
                    if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 < bytes.endIndex ? bytes[i + 1] : next) != 0x0A) { breaks += 1 }
                }
                let counted = CSVRowRanges.quotesAndLineBreaks(bytes, next: next)
                XCTAssertEqual(counted.quotes, quotes, "\(length) bytes, next \(String(describing: next))")
                XCTAssertEqual(counted.lineBreaks, breaks, "\(length) bytes, next \(String(describing: next))")
            }
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
