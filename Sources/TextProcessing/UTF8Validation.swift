/// UTF-8 checking and repair over raw bytes, with an 8-bytes-at-a-time ASCII fast path.
public enum UTF8Validation {
    /// The length of the valid UTF-8 sequence starting at `bytes[i]`, or 0 when the bytes there are
    /// not one; in that case `maximalSubpart` is the number of bytes that form the longest invalid
    /// prefix (Unicode's "maximal subpart", at least 1), which one U+FFFD replaces.
    @inline(__always)
    static func sequenceLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, maximalSubpart: inout Int) -> Int {
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        var need: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: need = 2
        case 0xED: need = 2; high = 0x9F
        case 0xF0: need = 3; low = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; high = 0x8F
        default: maximalSubpart = 1; return 0
        }
        var k = 1
        while k <= need {
            guard i + k < n else { maximalSubpart = k; return 0 }
            let b = p[i + k]
            let (lo, hi): (UInt8, UInt8) = k == 1 ? (low, high) : (0x80, 0xBF)
            guard b >= lo && b <= hi else { maximalSubpart = k; return 0 }
            k += 1
        }
        return need + 1
    }

    /// The offset of the first byte that does not start valid UTF-8, or nil when all is valid.
    public static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        var subpart = 0
        while i < n {
            while i &+ 8 <= n && base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i &+= 8 }
            guard i < n else { break }
            if p[i] < 0x80 { i &+= 1; continue }
            let length = sequenceLength(p, i, n, maximalSubpart: &subpart)
            if length == 0 { return i }
            i &+= length
        }
        return nil
    }

    /// `bytes` with each maximal invalid subpart replaced by U+FFFD (EF BF BD), appended to
    /// `output`; returns the number of replacements.
    public static func repair(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var i = 0
        var replaced = 0
        var subpart = 0
        while i < n {
            let length = sequenceLength(p, i, n, maximalSubpart: &subpart)
            if length == 0 {
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                replaced += 1
                i += subpart
            } else {
                output.append(contentsOf: UnsafeBufferPointer(start: p + i, count: length))
                i += length
            }
        }
        return replaced
    }
}
