import Foundation

/// Compares one field of two rows and grades the agreement: level 0 equal, then levels 1… for
/// similarity ≥ each of `thresholds`, the last level for anything lower; `missing` when either
/// side is empty (the field then says nothing about the pair). Numeric fields (digits and spaces:
/// postcodes, street numbers, dates, phones) use the edit similarity on the digits alone, which counts a typo or a swap of two
/// adjacent digits as one edit; text fields use Jaro–Winkler (word order ignored with `tokenSet`). Both are quadratic in the length, so
/// fields longer than `maxComparedBytes` are graded on their first `maxComparedBytes` bytes
/// (equality, level 0, is still decided on the whole field): the work per pair is bounded.
public struct FieldComparator: Sendable {
    /// The longest prefix the similarities look at (addresses and names are far shorter).
    public static let maxComparedBytes = 256

    /// Lower bounds of levels 1, 2, … (descending).
    public var thresholds: [Double]

    /// Text fields of several words also score the Jaro–Winkler of their words sorted (the better
    /// of the two counts): "ritz-carlton cafe" and "cafe (ritz-carlton)" are one name.
    public var tokenSet: Bool

    public init(thresholds: [Double] = [0.92, 0.84, 0.70], tokenSet: Bool = true) {
        self.thresholds = thresholds
        self.tokenSet = tokenSet
    }

    /// The number of levels, `missing` not counted.
    public var levels: Int { thresholds.count + 2 }
    /// The code of "either side empty".
    public var missing: UInt8 { UInt8(levels) }

    /// The similarity of two normalized fields in [0, 1].
    @inline(__always)
    public func similarity(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in similarity(a, b) } }
    }

    /// The agreement level of two normalized fields.
    public func level(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> UInt8 {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in level(a, b) } }
    }

    /// The similarity on raw bytes.
    @inline(__always)
    public func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        similarity(a, b, atLeast: 0)
    }

    /// The similarity when it is at least `minimum`, otherwise some value below `minimum`: an upper
    /// bound from the lengths alone (numbers: the edit distance is at least the difference in length;
    /// texts compared as a whole: `StringSimilarity.jaroWinklerBound`) that is already below `minimum`
    /// settles the pair without the quadratic similarity — most of the swapped-field checks, which
    /// only ask whether two different fields (a name and a phone, a zip and a phone) agree.
    @inline(__always)
    func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, atLeast minimum: Double) -> Double {
        if a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) { return 1 }
        let a = UnsafeBufferPointer(rebasing: a.prefix(FieldComparator.maxComparedBytes))
        let b = UnsafeBufferPointer(rebasing: b.prefix(FieldComparator.maxComparedBytes))
        if StringSimilarity.isNumeric(a) && StringSimilarity.isNumeric(b) {
            // Digits only: "746 412 3447" and "7464123447" are the same number.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: a.count + b.count) { buffer in
                var n = 0
                for byte in a where byte != 0x20 { buffer[n] = byte; n += 1 }
                var m = n
                for byte in b where byte != 0x20 { buffer[m] = byte; m += 1 }
                // The edit distance is at least the difference in length; rounded as `edit` rounds.
                let digitsA = n, digitsB = m - n
                let bound = 1 - Double(abs(digitsA - digitsB)) / Double(max(digitsA, digitsB))
                if bound < minimum { return bound }
                let base = UnsafeBufferPointer(buffer)
                return StringSimilarity.edit(UnsafeBufferPointer(rebasing: base[0..<n]), UnsafeBufferPointer(rebasing: base[n..<m]))
            }
        }
        let words = tokenSet && a.contains(0x20) && b.contains(0x20)
        if minimum > 0 && !words && !a.isEmpty && !b.isEmpty {
            var prefix = 0
            while prefix < min(4, a.count, b.count) && a[prefix] == b[prefix] { prefix += 1 }
            let bound = StringSimilarity.jaroWinklerBound(a.count, b.count, prefix: prefix)
            if bound < minimum - 1e-9 { return bound }
        }
        let direct = StringSimilarity.jaroWinkler(a, b)
        guard words, direct < thresholds[0] else { return direct }
        return max(direct, StringSimilarity.tokenSet(a, b))
    }

    /// The agreement level on raw bytes.
    @inline(__always)
    public func level(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> UInt8 {
        if a.isEmpty || b.isEmpty { return missing }
        if a.count == b.count && memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 { return 0 }
        return level(similarity: similarity(a, b, atLeast: thresholds.last ?? 0))
    }

    /// Whether two fields agree at level 1 or better (equal, or similarity ≥ the first threshold):
    /// `level(a, b) <= 1`, bounded against that threshold.
    @inline(__always)
    func agrees(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.isEmpty || b.isEmpty { return false }
        guard let first = thresholds.first else { return true }
        return similarity(a, b, atLeast: first) >= first
    }

    /// The level of a similarity below 1.
    public func level(similarity: Double) -> UInt8 {
        for (index, threshold) in thresholds.enumerated() where similarity >= threshold { return UInt8(index + 1) }
        return UInt8(thresholds.count + 1)
    }
}
