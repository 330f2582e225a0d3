import Foundation

/// Dot-product attention over encoder states with a source mask (DESIGN.md, "Translator"):
/// scores A_bj = z_b · h_bj over real positions j, weights a_b = softmax_j(A_b) (padded positions
/// get weight 0 and take no part in the softmax), context c_b = Σ_j a_bj h_bj.
///
/// Shapes: B batch, S source length, H hidden. `states` is batch-major (B, S, H), `query` (B, H),
/// `mask` (B, S) with 1 on real positions and 0 on padding. No parameters.
public enum DotProductAttention {
    /// What `backward` needs from `forward`.
    public struct Cache: Sendable {
        /// The query z (B, H).
        public var query: [Float]
        /// The alignment weights a (B, S); 0 on padding.
        public var weights: [Float]
        public var batch: Int, sourceLength: Int, hidden: Int
    }

    /// Forward pass. Returns the context (B, H) and the cache, whose `weights` (B, S) are the
    /// alignment row of each sentence. A sentence with no real position gets weights 0, context 0.
    public static func forward(query: [Float], states: [Float], mask: [Float],
                               batch B: Int, sourceLength S: Int, hidden H: Int) -> (context: [Float], cache: Cache) {
        precondition(query.count == B * H && states.count == B * S * H && mask.count == B * S, "attention: shape mismatch")
        var weights = [Float](repeating: 0, count: B * S)
        var context = [Float](repeating: 0, count: B * H)
        query.withUnsafeBufferPointer { z in
        states.withUnsafeBufferPointer { h in
        mask.withUnsafeBufferPointer { m in
        weights.withUnsafeMutableBufferPointer { a in
        context.withUnsafeMutableBufferPointer { c in
            for b in 0..<B {
                var maximum = -Float.infinity
                for j in 0..<S where m[b &* S &+ j] != 0 {
                    let score = dot(z.baseAddress! + b &* H, h.baseAddress! + (b &* S &+ j) &* H, H)
                    a[b &* S &+ j] = score
                    maximum = Swift.max(maximum, score)
                }
                guard maximum > -Float.infinity else { continue }
                var sum: Float = 0
                for j in 0..<S where m[b &* S &+ j] != 0 {
                    let e = exp(a[b &* S &+ j] - maximum)
                    a[b &* S &+ j] = e
                    sum += e
                }
                let inverse = 1 / sum
                let cb = c.baseAddress! + b &* H
                for j in 0..<S where m[b &* S &+ j] != 0 {
                    a[b &* S &+ j] *= inverse
                    axpy(a[b &* S &+ j], h.baseAddress! + (b &* S &+ j) &* H, cb, H)
                }
            }
        }}}}}
        return (context, Cache(query: query, weights: weights, batch: B, sourceLength: S, hidden: H))
    }

    /// Backward pass. Given dL/dcontext (B, H) and optionally dL/dweights (B, S), returns dL/dquery
    /// (B, H) and *adds* dL/dstates into `dStates` (B, S, H).
    public static func backward(dContext: [Float], dWeights: [Float]? = nil, states: [Float], cache: Cache,
                                dStates: inout [Float]) -> [Float] {
        let B = cache.batch, S = cache.sourceLength, H = cache.hidden
        precondition(dContext.count == B * H && states.count == B * S * H && dStates.count == B * S * H, "attention: shape mismatch")
        var dQuery = [Float](repeating: 0, count: B * H)
        var dScores = [Float](repeating: 0, count: S)
        dContext.withUnsafeBufferPointer { dc in
        states.withUnsafeBufferPointer { h in
        cache.weights.withUnsafeBufferPointer { a in
        cache.query.withUnsafeBufferPointer { z in
        dStates.withUnsafeMutableBufferPointer { dh in
        dQuery.withUnsafeMutableBufferPointer { dz in
            for b in 0..<B {
                // dA_bj = dc_b · h_bj (+ the weights' own gradient); dh_bj += a_bj dc_b.
                var weighted: Float = 0
                for j in 0..<S {
                    let w = a[b &* S &+ j]
                    guard w != 0 else { dScores[j] = 0; continue }
                    let row = (b &* S &+ j) &* H
                    var g = dot(dc.baseAddress! + b &* H, h.baseAddress! + row, H)
                    if let dWeights { g += dWeights[b &* S &+ j] }
                    dScores[j] = g
                    weighted += w * g
                    axpy(w, dc.baseAddress! + b &* H, dh.baseAddress! + row, H)
                }
                // Softmax: ds_bj = a_bj (dA_bj − Σ_k a_bk dA_bk); scores: dz_b += ds_bj h_bj, dh_bj += ds_bj z_b.
                for j in 0..<S {
                    let w = a[b &* S &+ j]
                    guard w != 0 else { continue }
                    let ds = w * (dScores[j] - weighted)
                    let row = (b &* S &+ j) &* H
                    axpy(ds, h.baseAddress! + row, dz.baseAddress! + b &* H, H)
                    axpy(ds, z.baseAddress! + b &* H, dh.baseAddress! + row, H)
                }
            }
        }}}}}}
        return dQuery
    }

    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
        var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
        var i = 0
        while i &+ 4 <= n {
            s0 += x[i] * y[i]; s1 += x[i &+ 1] * y[i &+ 1]
            s2 += x[i &+ 2] * y[i &+ 2]; s3 += x[i &+ 3] * y[i &+ 3]
            i &+= 4
        }
        while i < n { s0 += x[i] * y[i]; i &+= 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// y += alpha · x over n floats.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] += alpha * x[i] }
    }
}
