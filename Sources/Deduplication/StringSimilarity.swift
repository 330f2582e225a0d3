/// String similarities in [0, 1] on normalized UTF-8 bytes (1 means equal).
public enum StringSimilarity {
    /// Jaro–Winkler similarity with prefix scale 0.1 over at most 4 leading bytes.
    public static func jaroWinkler(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in jaroWinkler(a, b) } }
    }

    /// Jaro–Winkler on raw bytes.
    @inline(__always)
    public static func jaroWinkler(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let jaro = self.jaro(a, b)
        var prefix = 0
        var i = a.startIndex, j = b.startIndex
        while prefix < 4 && i < a.endIndex && j < b.endIndex && a[i] == b[j] { prefix += 1; i += 1; j += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Jaro similarity: matches within half the longer length, minus half the transpositions.
    public static func jaro(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let n = a.count, m = b.count
        if n == 0 && m == 0 { return 1 }
        if n == 0 || m == 0 { return 0 }
        let window = max(0, max(n, m) / 2 - 1)
        if m <= 64 && n <= 64 { return jaroShort(a, b, window: window) }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: n + m) { flags in
            flags.initialize(repeating: false)
            var matches = 0
            for i in 0..<n {
                let lo = max(0, i - window), hi = min(m - 1, i + window)
                if lo > hi { continue }
                let ai = a[a.startIndex + i]
                for j in lo...hi where !flags[n + j] && b[b.startIndex + j] == ai {
                    flags[i] = true
                    flags[n + j] = true
                    matches += 1
                    break
                }
            }
            if matches == 0 { return 0 }
            var transpositions = 0, j = 0
            for i in 0..<n where flags[i] {
                while !flags[n + j] { j += 1 }
                if a[a.startIndex + i] != b[b.startIndex + j] { transpositions += 1 }
                j += 1
            }
            let mm = Double(matches)
            return (mm / Double(n) + mm / Double(m) + (mm - Double(transpositions / 2)) / mm) / 3
        }
    }

    /// Jaro for strings of at most 64 bytes, with the matched positions kept as bit masks: each byte
    /// of `a` takes the first unmatched equal byte of `b` in its window, found as the lowest bit of
    /// (positions of that byte in b) ∧ ¬matched ∧ window, not by scanning the window.
    @inline(__always)
    static func jaroShort(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, window: Int) -> Double {
        let n = a.count, m = b.count
        var aMatched: UInt64 = 0, bMatched: UInt64 = 0
        var matches = 0
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { positions in
            // Only the entries of bytes that occur are set (and read).
            for byte in a { positions[Int(byte)] = 0 }
            for byte in b { positions[Int(byte)] = 0 }
            for j in 0..<m { positions[Int(b[j])] |= 1 << UInt64(j) }
            for i in 0..<n {
                let lo = max(0, i - window), hi = min(m - 1, i + window)
                if lo > hi { continue }
                let inWindow: UInt64 = ((1 << UInt64(hi + 1)) &- 1) & ~((1 << UInt64(lo)) &- 1)
                let free = positions[Int(a[i])] & ~bMatched & inWindow
                if free != 0 {
                    aMatched |= 1 << UInt64(i)
                    bMatched |= free & (0 &- free)
                    matches += 1
                }
            }
        }
        if matches == 0 { return 0 }
        var transpositions = 0
        var restA = aMatched, restB = bMatched
        while restA != 0 {
            let i = restA.trailingZeroBitCount, j = restB.trailingZeroBitCount
            if a[i] != b[j] { transpositions += 1 }
            restA &= restA - 1
            restB &= restB - 1
        }
        let mm = Double(matches)
        return (mm / Double(n) + mm / Double(m) + (mm - Double(transpositions / 2)) / mm) / 3
    }

    /// 1 − d / max(|a|, |b|), d the optimal-string-alignment distance (insertions, deletions,
    /// substitutions and adjacent transpositions each cost 1).
    public static func edit(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Double {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in edit(a, b) } }
    }

    /// The edit similarity on raw bytes.
    public static func edit(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        let n = a.count, m = b.count
        if n == 0 && m == 0 { return 1 }
        if n == 0 || m == 0 { return 0 }
        let distance = n <= 64 ? editDistanceShort(a, b) : editDistance(a, b)
        return 1 - Double(distance) / Double(max(n, m))
    }

    /// The optimal-string-alignment distance of two non-empty strings, by dynamic programming over
    /// three rows.
    static func editDistance(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = a.count, m = b.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * (m + 1)) { rows in
            var previous2 = 0, previous = m + 1, current = 2 * (m + 1)
            for j in 0...m { rows[previous + j] = j }
            for i in 1...n {
                rows[current] = i
                let ai = a[a.startIndex + i - 1]
                for j in 1...m {
                    let bj = b[b.startIndex + j - 1]
                    var d = min(rows[previous + j] + 1, rows[current + j - 1] + 1, rows[previous + j - 1] + (ai == bj ? 0 : 1))
                    if i > 1 && j > 1 && ai == b[b.startIndex + j - 2] && a[a.startIndex + i - 2] == bj {
                        d = min(d, rows[previous2 + j - 2] + 1)
                    }
                    rows[current + j] = d
                }
                (previous2, previous, current) = (previous, current, previous2)
            }
            return rows[previous + m]
        }
    }

    /// The same distance when `a` has 1…64 bytes, bit-parallel (Hyyrö 2003): one column of the
    /// table, as vertical +1/−1 differences packed in two words, is advanced per byte of `b`, so a
    /// 10-digit phone number costs 10 steps of a few word operations, not 100 cells.
    static func editDistanceShort(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { positions in
            // Bit i of positions[c]: a[i] == c. Only the entries of bytes that occur are set (and read).
            for byte in a { positions[Int(byte)] = 0 }
            for byte in b { positions[Int(byte)] = 0 }
            for i in 0..<a.count { positions[Int(a[i])] |= 1 << UInt64(i) }
            let last: UInt64 = 1 << UInt64(a.count - 1)
            var up: UInt64 = ~0, down: UInt64 = 0, diagonalZero: UInt64 = 0, previousEqual: UInt64 = 0
            var distance = a.count
            for byte in b {
                let equal = positions[Int(byte)]
                let transposed = ((~diagonalZero & equal) << 1) & previousEqual
                diagonalZero = (((equal & up) &+ up) ^ up) | equal | down | transposed
                var right = down | ~(diagonalZero | up)
                var left = diagonalZero & up
                if right & last != 0 { distance += 1 }
                if left & last != 0 { distance -= 1 }
                right = (right << 1) | 1
                left <<= 1
                up = left | ~(diagonalZero | right)
                down = right & diagonalZero
                previousEqual = equal
            }
            return distance
        }
    }

    /// An upper bound on the Jaro–Winkler similarity of two non-empty strings of n and m bytes with
    /// `prefix` (≤ 4) equal leading bytes: Jaro with min(n, m) matches and no transpositions,
    /// computed in the same order as `jaroWinkler` (rounding keeps the order; callers leave a margin
    /// all the same). Strings of very different lengths are far apart whatever their bytes.
    static func jaroWinklerBound(_ n: Int, _ m: Int, prefix: Int) -> Double {
        let mm = Double(min(n, m))
        let jaro = (mm / Double(n) + mm / Double(m) + 1) / 3
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Whether `text` holds only digits and spaces (and at least one digit).
    public static func isNumeric<C: Collection>(_ text: C) -> Bool where C.Element == UInt8 {
        var digit = false
        for byte in text {
            if byte >= 0x30 && byte <= 0x39 { digit = true } else if byte != 0x20 { return false }
        }
        return digit
    }
}

extension StringSimilarity {
    /// Jaro–Winkler on the words of each side sorted, so that word order does not count:
    /// "ritz carlton cafe" and "cafe ritz carlton" score 1 (words are split at spaces).
    public static func tokenSet(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        withSortedWords(a) { left in withSortedWords(b) { right in jaroWinkler(left, right) } }
    }

    /// `body` of the words of `text` sorted bytewise and joined by single spaces, in a temporary
    /// buffer (this runs for many pairs: no array is allocated).
    static func withSortedWords<R>(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: text.count / 2 + 1) { words in
            var count = 0, start = 0
            for i in 0...text.count where i == text.count || text[i] == 0x20 {
                if i > start { words[count] = start..<i; count += 1 }
                start = i + 1
            }
            /// Whether word x sorts before word y, bytewise (a prefix first).
            func precedes(_ x: Range<Int>, _ y: Range<Int>) -> Bool {
                for (i, j) in zip(x, y) where text[i] != text[j] { return text[i] < text[j] }
                return x.count < y.count
            }
            // Insertion sort: a field has a few words.
            for i in 1..<max(1, count) {
                let word = words[i]
                var j = i
                while j > 0 && precedes(word, words[j - 1]) { words[j] = words[j - 1]; j -= 1 }
                words[j] = word
            }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, text.count)) { joined in
                var n = 0
                for k in 0..<count {
                    if k > 0 { joined[n] = 0x20; n += 1 }
                    for i in words[k] { joined[n] = text[i]; n += 1 }
                }
                return body(UnsafeBufferPointer(rebasing: joined[0..<n]))
            }
        }
    }
}
