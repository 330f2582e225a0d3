import CSV
import Foundation
import XCTest
@testable import Deduplication

/// Differential tests against an independent RFC 4180 implementation (yaslab's CSV.swift): tables
/// of awkward fields written by one library are read back identically by the other.
final class CSVParserInteropTests: XCTestCase {
    func randomTable(seed: UInt64) -> [[String]] {
        var generator = SplitMix64(seed: seed)
        let pieces = ["a", "b", "Zürich", ",", "\"", "\n", "\r\n", " ", ";", "x y", "12"]
        let width = 2 + Int(generator.next() % 4)
        return (0..<(1 + Int(generator.next() % 8))).map { _ in
            (0..<width).map { _ in
                (0..<Int(generator.next() % 5)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            }
        }
    }

    func testGlossaReadsWhatCSVSwiftWrites() throws {
        for seed in 0..<200 as Range<UInt64> {
            let table = randomTable(seed: seed)
            let stream = OutputStream(toMemory: ())
            stream.open()
            let writer = try CSVWriter(stream: stream)
            for row in table { try writer.write(row: row) }
            stream.close()
            let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as! Data
            // CSV.swift does not quote leading spaces, so read them back untrimmed.
            let parsed = try CSVParser(delimiter: 0x2C, trimSpacesAfterDelimiter: false).parse([UInt8](data))
            XCTAssertEqual([parsed.header] + parsed.rows, table, "seed \(seed)")
        }
    }

    func testCSVSwiftReadsWhatGlossaWrites() throws {
        for seed in 200..<400 as Range<UInt64> {
            let table = randomTable(seed: seed)
            let bytes = CSVTable(header: table[0], rows: Array(table.dropFirst())).csvBytes()
            let reader = try CSVReader(string: String(decoding: bytes, as: UTF8.self))
            var rows: [[String]] = []
            while let row = reader.next() { rows.append(row) }
            XCTAssertEqual(rows, table, "seed \(seed)")
            // And Glossa reads its own output back (delimiter given: a header such as "a;b,c" is ambiguous).
            let parsed = try CSVParser(delimiter: 0x2C).parse(bytes)
            XCTAssertEqual([parsed.header] + parsed.rows, table, "seed \(seed)")
        }
    }
}
