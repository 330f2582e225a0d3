import Foundation

/// Dot-product attention over encoder states with a source mask (docs/DESIGN.md, "Translator"):
/// scores A_bj = z_b · h_bj over real positions j, weights a_b = softmax_j(A_b) (padded positions get
/// weight 0 and take no part in the softmax), context c_b = Σ_j a_bj h_bj. No parameters.
///
/// Shapes: B batch, S source length, H hidden. `states` is batch-major (B, S, H), `query` (B, H),
/// `mask` (B, S) with 1 on real positions and 0 on padding. The weights (B, S) are both the
/// alignment matrix rows a caller can show and the cache `backward` needs.
public enum DotProductAttention {
    /// query [B, H], states [B, S, H], mask (B, S) → context [B, H] and weights [B, S] (the cache).
    /// A row with no real position gets weights 0 and context 0.
    public static func forward(query: Tensor, states: Tensor, mask: [Float]) -> (context: Tensor, weights: Tensor) {
        precondition(states.rank == 3 && query.shape == [states.shape[0], states.shape[2]] && mask.count == states.shape[0] * states.shape[1],
                     "attention: query \(query.shape), states \(states.shape), mask \(mask.count)")
        let (B, S, H) = (states.shape[0], states.shape[1], states.shape[2])
        var context = Tensor(zeros: [B, H]), weights = Tensor(zeros: [B, S])
        context.data.withUnsafeMutableBufferPointer { c in
        weights.data.withUnsafeMutableBufferPointer { a in
            forward(context: c.baseAddress!, weights: a.baseAddress!, query: query.data, states: states.data, mask: mask,
                    batch: B, sourceLength: S, hidden: H)
        }}
        return (context, weights)
    }

    /// dContext [B, H] and optionally dWeights [B, S] → dQuery [B, H], dStates [B, S, H], given the
    /// forward's query, states and weights.
    public static func backward(dContext: Tensor, dWeights: Tensor? = nil, query: Tensor, states: Tensor,
                                weights: Tensor) -> (dQuery: Tensor, dStates: Tensor) {
        let (B, S, H) = (states.shape[0], states.shape[1], states.shape[2])
        precondition(dContext.shape == [B, H] && weights.shape == [B, S] && (dWeights?.shape ?? [B, S]) == [B, S])
        var dQuery = Tensor(zeros: [B, H]), dStates = Tensor(zeros: [B, S, H])
        dQuery.data.withUnsafeMutableBufferPointer { dz in
        dStates.data.withUnsafeMutableBufferPointer { dh in
            backward(dQuery: dz.baseAddress!, dStates: dh.baseAddress!, dContext: dContext.data, dWeights: dWeights?.data,
                     query: query.data, states: states.data, weights: weights.data, batch: B, sourceLength: S, hidden: H)
        }}
        return (dQuery, dStates)
    }

    /// Raw form of `forward`: writes context (B, H) and weights (B, S).
    public static func forward(context: UnsafeMutablePointer<Float>, weights a: UnsafeMutablePointer<Float>,
                               query z: UnsafePointer<Float>, states h: UnsafePointer<Float>, mask m: UnsafePointer<Float>,
                               batch B: Int, sourceLength S: Int, hidden H: Int) {
        context.update(repeating: 0, count: B &* H)
        a.update(repeating: 0, count: B &* S)
        for b in 0..<B {
            var maximum = -Float.infinity
            for j in 0..<S where m[b &* S &+ j] != 0 {
                let score = dot(z + b &* H, h + (b &* S &+ j) &* H, H)
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
            for j in 0..<S where m[b &* S &+ j] != 0 {
                a[b &* S &+ j] *= inverse
                axpy(a[b &* S &+ j], h + (b &* S &+ j) &* H, context + b &* H, H)
            }
        }
    }

    /// Raw form of `backward`: *adds* into dQuery (B, H) and dStates (B, S, H).
    ///   dA_bj = dc_b · h_bj (+ dWeights_bj),  dh_bj += a_bj dc_b,
    ///   ds_bj = a_bj (dA_bj − Σ_k a_bk dA_bk),  dz_b += Σ_j ds_bj h_bj,  dh_bj += ds_bj z_b.
    public static func backward(dQuery dz: UnsafeMutablePointer<Float>, dStates dh: UnsafeMutablePointer<Float>,
                                dContext dc: UnsafePointer<Float>, dWeights: UnsafePointer<Float>?,
                                query z: UnsafePointer<Float>, states h: UnsafePointer<Float>, weights a: UnsafePointer<Float>,
                                batch B: Int, sourceLength S: Int, hidden H: Int) {
        let dScores = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(S, 1))
        defer { dScores.deallocate() }
        for b in 0..<B {
            var weighted: Float = 0
            for j in 0..<S {
                let w = a[b &* S &+ j]
                guard w != 0 else { dScores[j] = 0; continue }
                let row = (b &* S &+ j) &* H
                var g = dot(dc + b &* H, h + row, H)
                if let dWeights { g += dWeights[b &* S &+ j] }
                dScores[j] = g
                weighted += w * g
                axpy(w, dc + b &* H, dh + row, H)
            }
            for j in 0..<S {
                let w = a[b &* S &+ j]
                guard w != 0 else { continue }
                let ds = w * (dScores[j] - weighted)
                let row = (b &* S &+ j) &* H
                axpy(ds, h + row, dz + b &* H, H)
                axpy(ds, z + b &* H, dh + row, H)
            }
        }
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
        var i = 0
        while i < n { y[i] += alpha * x[i]; i &+= 1 }
    }
}
