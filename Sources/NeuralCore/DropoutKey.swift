/// Where a dropout mask comes from: a counter-based generator, so that a mask depends only on
/// (seed, optimizer step, site, time step, global row position, element) and not on how many
/// threads or processes drew masks before it. A resumed run, a run with other `--threads`, and
/// (issue 13) a data-parallel run whose ranks hold different rows all draw the same masks.
///
/// Element j of row (t, r) at `site` in step `step` is kept when u ≥ p, u ∈ [0, 1) being 24 bits of
/// SplitMix64's finalizer applied to a key mixed from those integers; kept elements are scaled by
/// 1/(1 − p) (inverted dropout), dropped ones are 0. Rows are the columns of a language model's
/// stream and the sentence pairs of a translator's batch; `firstPosition` is the global position of
/// this process's first row (0 on one process). A key `lockedAcrossTime` leaves the time step out:
/// row (t, r) gets row (0, r)'s mask at every t — variational ("locked") dropout, one mask per
/// sequence and site (Gal & Ghahramani 2016; AWD-LSTM's LockedDropout).
public struct DropoutKey: Sendable, Hashable {
    public var seed: UInt64
    /// Optimizer steps done before this one.
    public var step: Int
    /// Which dropout in the model (embeddings, between layers, before the output, …).
    public var site: Int
    /// Global position of row 0 (data-parallel runs give each process its own offset).
    public var firstPosition: Int
    /// One mask per row for every time step (variational dropout) instead of one per (t, row).
    public var lockedAcrossTime: Bool

    public init(seed: UInt64, step: Int, site: Int = 0, firstPosition: Int = 0, lockedAcrossTime: Bool = false) {
        self.seed = seed
        self.step = step
        self.site = site
        self.firstPosition = firstPosition
        self.lockedAcrossTime = lockedAcrossTime
    }

    /// The same key at another site.
    public func at(site: Int) -> DropoutKey {
        var key = self
        key.site = site
        return key
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The key of row `row` (local index) at time `time` (time 0 whatever `time` is when
    /// `lockedAcrossTime`, so every caller, `fillRow` included, gets the locked mask).
    @inline(__always)
    func rowKey(time: Int, row: Int) -> UInt64 {
        var k = Self.mix(seed)
        k = Self.mix(k ^ UInt64(bitPattern: Int64(step)))
        k = Self.mix(k ^ UInt64(bitPattern: Int64(site)))
        k = Self.mix(k ^ UInt64(bitPattern: Int64(lockedAcrossTime ? 0 : time)))
        return Self.mix(k ^ UInt64(bitPattern: Int64(firstPosition + row)))
    }

    /// Writes the factors (0 or 1/(1 − p)) of row (`time`, `row`) into mask[0..<width].
    @inline(__always)
    public func fillRow(_ mask: UnsafeMutablePointer<Float>, width: Int, time: Int, row: Int, rate p: Float) {
        let key = rowKey(time: time, row: row), scale = 1 / (1 - p)
        for j in 0..<width {
            let u = Float(Self.mix(key &+ UInt64(j) &* 0xD1B5_4A32_D192_ED03) >> 40) * (1.0 / 16_777_216.0)
            mask[j] = u < p ? 0 : scale
        }
    }

    /// Fills a time-major mask (T, B, width): row (t, b) from `fillRow`; when `lockedAcrossTime` the
    /// rows of time 0 are computed once and copied (the same values `fillRow` gives).
    public func fill(_ mask: UnsafeMutablePointer<Float>, steps T: Int, batch B: Int, width: Int, rate p: Float) {
        if lockedAcrossTime {
            for b in 0..<B { fillRow(mask + b * width, width: width, time: 0, row: b, rate: p) }
            for t in 1..<max(T, 1) { (mask + t * B * width).update(from: mask, count: B * width) }
            return
        }
        for t in 0..<T { for b in 0..<B { fillRow(mask + (t * B + b) * width, width: width, time: t, row: b, rate: p) } }
    }
}
