import NeuralCore
import TextProcessing

/// Buffers the encoder keeps between its forward and backward passes, reused across batches.
/// Shapes: S source length, B batch, E embedding, H hidden, time-major.
final class EncoderWorkspace {
    let embedded = FloatBuffer()          // (S, B, E) after dropout
    var embeddingKeep: [Float] = []       // (S, B, E) inverted-dropout factors, empty without dropout
    var outputs: [FloatBuffer] = []       // per layer (S, B, H)
    var caches: [[RecurrentLayerCache]] = []  // [layer][direction]
    var ids: [Int32] = []                 // (S, B)
    var idMask: [Float] = []              // (S, B)
    var lengths: [Int] = []
    var batch = 0, steps = 0

    init(_ a: TranslatorArchitecture) {
        outputs = (0..<a.numLayers).map { _ in FloatBuffer() }
        caches = (0..<a.numLayers).map { _ in (0..<a.directions).map { _ in RecurrentLayerCache() } }
    }
}

extension Translator {
    /// Runs the encoder over `batch`'s sources. With `dropout` > 0 and a `key` (training) the
    /// embeddings (S, B, E) are dropped at the key's site 0, row (position, pair). Keeps in
    /// `workspace` what `encoderBackward` needs.
    func encode(_ batch: SentenceSources, dropout: Float = 0, key: DropoutKey? = nil,
                workspace ws: EncoderWorkspace) -> EncodedSource {
        let a = architecture, B = batch.count, S = batch.sourceLength
        let E = a.embeddingSize, H = a.hiddenSize, He = a.encoderHiddenSize
        ws.batch = B
        ws.steps = S
        ws.lengths = batch.lengths
        ws.ids = SentenceBatch.timeMajor(batch.ids, batch: B, length: S)
        ws.idMask = SentenceBatch.timeMajor(batch.mask, batch: B, length: S)
        let x = ws.embedded.reserve(S * B * E)
        sourceEmbedding.forward(y: x, ids: ws.ids)
        ws.embeddingKeep = []
        if let key, dropout > 0 {
            ws.embeddingKeep = [Float](repeating: 0, count: S * B * E)
            ws.embeddingKeep.withUnsafeMutableBufferPointer { m in
                key.at(site: 0).fill(m.baseAddress!, steps: S, batch: B, width: E, rate: dropout)
                for i in 0..<m.count { x[i] *= m[i] }
            }
        }

        var hidden: [[Float]] = [], cells: [[Float]]? = a.cell.hasCellState ? [] : nil
        var finalH = [Float](repeating: 0, count: B * He), finalC = [Float](repeating: 0, count: B * He)
        for (k, layer) in encoderLayers.enumerated() {
            let input: UnsafePointer<Float> = k == 0 ? UnsafePointer(x) : UnsafePointer(ws.outputs[k - 1].pointer)
            let y = ws.outputs[k].reserve(S * B * H)
            var layerH = [Float](repeating: 0, count: B * H), layerC = [Float](repeating: 0, count: B * H)
            for (d, direction) in layer.enumerated() {
                finalH.withUnsafeMutableBufferPointer { hN in
                finalC.withUnsafeMutableBufferPointer { cN in
                    direction.forward(x: input, steps: S, batch: B, lengths: batch.lengths, h0: nil, c0: nil,
                                      y: y + d * He, ldy: H, hN: hN.baseAddress!, cN: a.cell.hasCellState ? cN.baseAddress! : nil,
                                      cache: ws.caches[k][d])
                }}
                for b in 0..<B {
                    for j in 0..<He {
                        layerH[b * H + d * He + j] = finalH[b * He + j]
                        layerC[b * H + d * He + j] = finalC[b * He + j]
                    }
                }
            }
            hidden.append(layerH)
            cells?.append(layerC)
        }
        // Batch-major states for attention.
        let top = ws.outputs[a.numLayers - 1].pointer
        var states = [Float](repeating: 0, count: B * S * H)
        states.withUnsafeMutableBufferPointer { s in
            for t in 0..<S { for b in 0..<B { (s.baseAddress! + (b * S + t) * H).update(from: top + (t * B + b) * H, count: H) } }
        }
        return EncodedSource(batch: B, sourceLength: S, states: states, mask: batch.mask, lengths: batch.lengths,
                             hidden: hidden, cells: cells)
    }

    /// Backward through the encoder run kept in `workspace`, given dL/dstates (B, S, H) batch-major
    /// and dL/d(final state) per layer (L × (B, H), and cells for LSTM). Adds into the gradients.
    func encoderBackward(dStates: [Float], dHidden: [[Float]], dCells: [[Float]]?, workspace ws: EncoderWorkspace) {
        let a = architecture, B = ws.batch, S = ws.steps
        let E = a.embeddingSize, H = a.hiddenSize, He = a.encoderHiddenSize
        var dOut = [Float](repeating: 0, count: S * B * H)
        for b in 0..<B { for t in 0..<S { for j in 0..<H { dOut[(t * B + b) * H + j] = dStates[(b * S + t) * H + j] } } }
        var dh0 = [Float](repeating: 0, count: B * He), dc0 = [Float](repeating: 0, count: B * He)
        for k in stride(from: a.numLayers - 1, through: 0, by: -1) {
            var dIn = [Float](repeating: 0, count: S * B * (k == 0 ? E : H))
            for (d, direction) in encoderLayers[k].enumerated() {
                var dhN = [Float](repeating: 0, count: B * He), dcN = [Float](repeating: 0, count: B * He)
                for b in 0..<B {
                    for j in 0..<He {
                        dhN[b * He + j] = dHidden[k][b * H + d * He + j]
                        if let dCells { dcN[b * He + j] = dCells[k][b * H + d * He + j] }
                    }
                }
                dOut.withUnsafeBufferPointer { dy in
                dIn.withUnsafeMutableBufferPointer { dx in
                dh0.withUnsafeMutableBufferPointer { dh in
                dc0.withUnsafeMutableBufferPointer { dc in
                    direction.backward(dy: dy.baseAddress! + d * He, ldy: H, dhN: dhN, dcN: a.cell.hasCellState ? dcN : nil,
                                       cache: ws.caches[k][d], dx: dx.baseAddress!, accumulate: d > 0,
                                       dh0: dh.baseAddress!, dc0: a.cell.hasCellState ? dc.baseAddress! : nil)
                }}}}
            }
            dOut = dIn
        }
        if !ws.embeddingKeep.isEmpty { for i in dOut.indices { dOut[i] *= ws.embeddingKeep[i] } }
        dOut.withUnsafeBufferPointer { sourceEmbedding.backward(dy: $0.baseAddress!, ids: ws.ids, mask: ws.idMask) }
    }
}
