import XCTest
@testable import Deduplication

final class StringSimilarityTests: XCTestCase {
    func bytes(_ s: String) -> ArraySlice<UInt8> { Array(s.utf8)[...] }

    func testJaroWinklerTextbookValues() {
        // Winkler (1990) / Wikipedia examples.
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes("martha"), bytes("marhta")), 0.9611, accuracy: 1e-4)
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes("dwayne"), bytes("duane")), 0.84, accuracy: 1e-4)
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes("dixon"), bytes("dicksonx")), 0.8133, accuracy: 1e-4)
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes("abc"), bytes("abc")), 1)
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes("abc"), bytes("xyz")), 0)
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes(""), bytes("")), 1)
    }

    func testShortAndLongJaroAgree() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let a = (0..<Int(generator.next() % 64 + 1)).map { _ in UInt8(97 + generator.next() % 6) }
            let b = (0..<Int(generator.next() % 64 + 1)).map { _ in UInt8(97 + generator.next() % 6) }
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let window = max(0, max(a.count, b.count) / 2 - 1)
                    let short = StringSimilarity.jaroShort(a, b, window: window)
                    XCTAssertEqual(short, referenceJaro(Array(a), Array(b)), accuracy: 1e-12)
                }
            }
        }
    }

    /// Jaro written straight from the definition.
    func referenceJaro(_ a: [UInt8], _ b: [UInt8]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        let window = max(0, max(a.count, b.count) / 2 - 1)
        var aFlags = [Bool](repeating: false, count: a.count), bFlags = [Bool](repeating: false, count: b.count)
        var matches = 0
        for i in a.indices {
            let lo = max(0, i - window), hi = min(b.count, i + window + 1)
            if lo >= hi { continue }
            for j in lo..<hi where !bFlags[j] && a[i] == b[j] {
                aFlags[i] = true; bFlags[j] = true; matches += 1; break
            }
        }
        if matches == 0 { return 0 }
        let aMatched = a.indices.filter { aFlags[$0] }.map { a[$0] }, bMatched = b.indices.filter { bFlags[$0] }.map { b[$0] }
        let t = zip(aMatched, bMatched).filter { $0 != $1 }.count / 2
        let m = Double(matches)
        return (m / Double(a.count) + m / Double(b.count) + (m - Double(t)) / m) / 3
    }

    func testLongStringsUseTheGeneralPath() {
        let a = String(repeating: "abcdefghij", count: 8), b = String(repeating: "abcdefghij", count: 7) + "abcdefghji"
        XCTAssertEqual(StringSimilarity.jaroWinkler(bytes(a), bytes(b)), 1 - (1 - (2.0 + (80.0 - 1) / 80) / 3) * 0.6, accuracy: 1e-12)
    }

    func testEditSimilarityCountsTranspositionsOnce() {
        XCTAssertEqual(StringSimilarity.edit(bytes("19520926"), bytes("19520962")), 1 - 1.0 / 8)
        XCTAssertEqual(StringSimilarity.edit(bytes("kitten"), bytes("sitting")), 1 - 3.0 / 7)
        XCTAssertEqual(StringSimilarity.edit(bytes("3038"), bytes("3038")), 1)
        XCTAssertEqual(StringSimilarity.edit(bytes(""), bytes("1")), 0)
    }

    /// The bit-parallel distance (pattern of 1…64 bytes) is the dynamic programme's, either way round,
    /// on short alphabets where transpositions and repeats are common.
    func testBitParallelEditDistanceMatchesTheTable() {
        var generator = SplitMix64(seed: 11)
        for trial in 0..<2000 {
            let alphabet = UInt64(trial % 2 == 0 ? 3 : 10)
            let a = (0..<Int(generator.next() % 64 + 1)).map { _ in UInt8(48 + generator.next() % alphabet) }
            let b = (0..<Int(generator.next() % (trial % 3 == 0 ? 80 : 12) + 1)).map { _ in UInt8(48 + generator.next() % alphabet) }
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    XCTAssertEqual(StringSimilarity.editDistanceShort(a, b), StringSimilarity.editDistance(a, b), "\(Array(a)) \(Array(b))")
                    if b.count <= 64 { XCTAssertEqual(StringSimilarity.editDistanceShort(b, a), StringSimilarity.editDistance(a, b)) }
                }
            }
        }
        XCTAssertEqual(StringSimilarity.edit(bytes("2409673152"), bytes("2409671352")), 0.9)
    }

    /// The bounded comparisons grade every pair as the exact similarity does: the Jaro–Winkler bound
    /// is never below the similarity, and `level` / `agrees` equal the levels of the exact
    /// similarity, on texts with and without spaces, numbers and near-duplicates.
    func testBoundedLevelsEqualTheExactLevels() {
        var generator = SplitMix64(seed: 13)
        let comparator = FieldComparator()
        let pieces = ["ann", "anna", "st", "main", "oak", "12", "3", " ", " ", "1", "x", "naan", "mian"]
        func text() -> [UInt8] {
            Array((0..<Int(generator.next() % 5 + 1)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined().utf8)
        }
        var settledByBound = 0
        for _ in 0..<4000 {
            let a = text(), b = generator.next() % 4 == 0 ? text().shuffled(using: &generator) : text()
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    let exact = comparator.similarity(a, b)
                    let expected = a.isEmpty || b.isEmpty ? comparator.missing
                        : a.elementsEqual(b) ? 0 : comparator.level(similarity: exact)
                    XCTAssertEqual(comparator.level(a, b), expected, "\(String(decoding: a, as: UTF8.self))|\(String(decoding: b, as: UTF8.self))")
                    XCTAssertEqual(comparator.agrees(a, b), expected <= 1)
                    if !a.isEmpty && !b.isEmpty {
                        XCTAssertGreaterThanOrEqual(StringSimilarity.jaroWinklerBound(a.count, b.count, prefix: 4), StringSimilarity.jaroWinkler(a, b))
                    }
                    if comparator.similarity(a, b, atLeast: comparator.thresholds[0]) != exact { settledByBound += 1 }
                }
            }
        }
        XCTAssertGreaterThan(settledByBound, 100, "the bound settles some pairs")
    }

    func testComparatorLevelsAndDigitsOnlyNumbers() {
        let comparator = FieldComparator()
        XCTAssertEqual(comparator.level(bytes("smith"), bytes("smith")), 0)
        XCTAssertEqual(comparator.level(bytes(""), bytes("smith")), comparator.missing)
        XCTAssertEqual(comparator.similarity(bytes("746 412 3447"), bytes("7464123447")), 1)
        XCTAssertEqual(comparator.level(bytes("smith"), bytes("xqzvw")), UInt8(comparator.levels - 1))
        XCTAssertLessThan(comparator.level(bytes("martha"), bytes("marhta")), comparator.level(bytes("martha"), bytes("mabel")))
    }

    /// Issue 11 item 1: long fields are graded on their first `maxComparedBytes` bytes (the
    /// similarities are quadratic), equality still on the whole field. 5 MB took about 45 minutes before.
    func testLongFieldsAreComparedOnABoundedPrefix() {
        let comparator = FieldComparator()
        let long = Array(String(repeating: "main street ", count: 440_000).utf8)
        let longer = long + Array("x".utf8)
        let start = DispatchTime.now().uptimeNanoseconds
        XCTAssertEqual(comparator.similarity(long[...], longer[...]), 1, "the first 256 bytes agree")
        XCTAssertEqual(comparator.level(long[...], longer[...]), 1, "not equal, so not level 0")
        XCTAssertEqual(comparator.level(long[...], long[...]), 0)
        let other = Array("main road ".utf8) + long
        XCTAssertEqual(comparator.similarity(long[...], other[...]),
                       comparator.similarity(long[..<256], other[..<256]))
        let digits = Array(String(repeating: "0123456789", count: 500_000).utf8)
        XCTAssertEqual(comparator.similarity(digits[...], (digits + [0x31])[...]), 1)
        // A hang guard, not a benchmark: the bounded comparisons above take milliseconds.
        XCTAssertLessThan(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, 20)
    }

    /// Token-set Jaro–Winkler is Jaro–Winkler of the words sorted (Swift's sort, bytewise) and
    /// joined by single spaces, whatever the spacing and with words that prefix others.
    func testTokenSetIsJaroWinklerOfTheSortedWords() {
        func reference(_ a: String, _ b: String) -> Double {
            func sorted(_ text: String) -> [UInt8] {
                Array(Array(text.utf8).split(separator: 0x20).sorted { $0.lexicographicallyPrecedes($1) }.joined(separator: [0x20]))
            }
            return StringSimilarity.jaroWinkler(sorted(a)[...], sorted(b)[...])
        }
        let texts = ["cafe ritz carlton", "ritz-carlton cafe", "  ritz   cafe carl ", "ab a abc a", "a ab abc", "b", "", " ",
                     "zeta alpha alpha", "alpha zeta", "st james st", "james st st"]
        for a in texts {
            for b in texts {
                let got = Array(a.utf8).withUnsafeBufferPointer { a in Array(b.utf8).withUnsafeBufferPointer { b in StringSimilarity.tokenSet(a, b) } }
                XCTAssertEqual(got, reference(a, b), "\(a) / \(b)")
            }
        }
    }
}
