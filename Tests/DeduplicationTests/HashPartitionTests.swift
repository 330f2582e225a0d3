import MessagePassing
import TestSupport
import XCTest
@testable import Deduplication

/// The stages that group rows by hash (`KeyGroups`): exact duplicates and term frequencies, checked
/// against a plain dictionary of the values, and on 2 and 3 ranks (threads, `ThreadedCommunicator`)
/// against one process.
final class HashPartitionTests: XCTestCase {
    /// 3000 rows of 3 fields: a field of 4 values, one of a few hundred skewed ones, one mostly
    /// unique; some fields empty, some rows empty, some rows repeated exactly.
    func records(seed: UInt64 = 7) -> NormalizedRecords {
        var generator = SplitMix64(seed: seed)
        func next(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        var rows: [[String]] = []
        for _ in 0..<3000 {
            if !rows.isEmpty && next(10) == 0 { rows.append(rows[next(rows.count)]); continue }
            if next(50) == 0 { rows.append(["", "", ""]); continue }
            let skewed = next(1 + next(300))
            rows.append([["ca", "ny", "tx", "wa"][next(4)], next(20) == 0 ? "" : "street \(skewed)", "\(next(4000)) \(next(3))"])
        }
        var bytes: [UInt8] = [], rowStarts = [0], fieldEnds: [Int32] = []
        for row in rows {
            for field in row { bytes += Array(field.utf8); fieldEnds.append(Int32(bytes.count - rowStarts.last!)) }
            rowStarts.append(bytes.count)
        }
        return NormalizedRecords(fieldCount: 3, bytes: bytes, rowStarts: rowStarts, fieldEnds: fieldEnds)
    }

    func testGroupedPutsEqualKeysTogetherAscending() {
        var generator = SplitMix64(seed: 1)
        for count in [0, 1, 2, 17, 1000, 50_000] {
            // Few distinct keys, some of them held by thousands of items (buckets sorted whole).
            let items = (0..<count).map { _ in generator.next() % UInt64(1 + count / 20) }
            let grouped = KeyGroups.grouped(items) { $0 }
            XCTAssertEqual(grouped.sorted(), items.sorted(), "a permutation")
            var seen = Set<UInt64>()
            KeyGroups.forEachRun(grouped, key: { $0 }) { run in
                XCTAssertTrue(seen.insert(grouped[run.lowerBound]).inserted, "each key in one run")
            }
        }
    }

    func testExactDuplicatesAreTheGroupsOfIdenticalRows() {
        let records = records()
        let exact = ExactDuplicates(records)
        var firstOf: [[UInt8]: Int] = [:], expectedFirst: [Int] = []
        for row in 0..<records.count {
            let fields = (0..<3).map { Array(records.field(row, $0)) + [0xFF] }.joined()
            if records.record(row).isEmpty { expectedFirst.append(row); continue }
            expectedFirst.append(firstOf[Array(fields)] ?? row)
            if firstOf[Array(fields)] == nil { firstOf[Array(fields)] = row }
        }
        XCTAssertEqual(exact.representatives, (0..<records.count).filter { expectedFirst[$0] == $0 })
        XCTAssertEqual(exact.representativeOf.map { exact.representatives[$0] }, expectedFirst)
        XCTAssertGreaterThan(exact.merged, 200)
    }

    func testTermFrequenciesKeepTheCommonValuesWithTheirAdjustments() throws {
        let records = records()
        let representatives = ExactDuplicates(records).representatives
        let frequencies = TermFrequencies(records, representatives: representatives)
        for f in 0..<3 {
            var counts: [[UInt8]: Int] = [:]
            for row in representatives where !records.field(row, f).isEmpty { counts[Array(records.field(row, f)), default: 0] += 1 }
            let present = counts.values.reduce(0, +)
            let n = Double(present)
            let logAgreement = log(counts.values.map { Double($0 * $0) }.reduce(0, +) / (n * n))
            XCTAssertEqual(frequencies.present[f], present)
            XCTAssertEqual(frequencies.logAgreement[f], logAgreement, accuracy: 1e-12)
            var common = 0
            for (value, count) in counts {
                let expected = min(0, logAgreement - log(Double(count) / n))
                XCTAssertEqual(frequencies.adjustment(field: f, value: value[...]), expected, accuracy: 1e-12, "field \(f)")
                if expected < 0 { common += 1 }
            }
            XCTAssertEqual(frequencies.common[f].count, common, "only the common values are kept")
        }
        XCTAssertGreaterThan(frequencies.common[1].count, 10)
        XCTAssertEqual(frequencies.adjustment(field: 2, value: Array("no such value".utf8)[...]), 0)
    }

    func testTwoAndThreeRanksGiveTheOneProcessGroupsAndFrequencies() {
        let records = records()
        let one = ExactDuplicates(records)
        let oneFrequencies = TermFrequencies(records, representatives: one.representatives)
        for ranks in [2, 3] {
            let results = ThreadedCommunicator.run(ranks: ranks) { communicator in
                let exact = ExactDuplicates(records, communicator: communicator)
                return (exact, TermFrequencies(records, representatives: exact.representatives, communicator: communicator))
            }
            for (exact, frequencies) in results {
                XCTAssertEqual(exact.representatives, one.representatives, "\(ranks) ranks")
                XCTAssertEqual(exact.representativeOf, one.representativeOf, "\(ranks) ranks")
                XCTAssertEqual(frequencies.present, oneFrequencies.present, "\(ranks) ranks")
                XCTAssertEqual(frequencies.logAgreement, oneFrequencies.logAgreement, "\(ranks) ranks: bit for bit")
                XCTAssertEqual(frequencies.common, oneFrequencies.common, "\(ranks) ranks: bit for bit")
            }
        }
    }
}
