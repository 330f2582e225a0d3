import NeuralCore
import TextProcessing

/// What the encoder keeps between its forward and backward passes, reused across batches.
/// Shapes: S source length, B batch, E embedding, time-major.
final class EncoderWorkspace {
    let cache = RecurrentCache()
    var embeddingKeep = Tensor(zeros: [0]) // (S, B, E) inverted-dropout factors, empty without dropout
    var ids: [Int32] = []                 // (S, B)
    var idMask: [Float] = []              // (S, B)
    var batch = 0, steps = 0

    init(_ a: TranslatorArchitecture) {}
}

extension Translator {
    /// Runs the encoder (`encoder`, a `Recurrent`) over `batch`'s sources. With `dropout` > 0 and a
    /// `key` (training) the embeddings (S, B, E) are dropped at the key's site 0, row (position,
    /// pair). Keeps in `workspace` what `encoderBackward` needs.
    func encode(_ batch: SentenceSources, dropout: Float = 0, key: DropoutKey? = nil,
                workspace ws: EncoderWorkspace) -> EncodedSource {
        let a = architecture, B = batch.count, S = batch.sourceLength
        let E = a.embeddingSize, H = a.hiddenSize, He = a.encoderHiddenSize, D = a.directions, L = a.numLayers
        ws.batch = B
        ws.steps = S
        ws.ids = SentenceBatch.timeMajor(batch.ids, batch: B, length: S)
        ws.idMask = SentenceBatch.timeMajor(batch.mask, batch: B, length: S)
        var x = Tensor(zeros: [S, B, E])
        x.data.withUnsafeMutableBufferPointer { sourceEmbedding.forward(y: $0.baseAddress!, ids: ws.ids) }
        ws.embeddingKeep = Tensor(zeros: [0])
        if let key, dropout > 0 { (x, ws.embeddingKeep) = Dropout(probability: dropout).forward(x, steps: S, batch: B, key: key.at(site: 0)) }
        let (output, final, _) = encoder.forward(x, lengths: batch.lengths, reusing: ws.cache)

        // The decoder's initial state per layer: forward ‖ backward final states (L × (B, H)).
        func layerStates(_ t: Tensor) -> [[Float]] {
            (0..<L).map { k in
                var layer = [Float](repeating: 0, count: B * H)
                for d in 0..<D {
                    for b in 0..<B {
                        for j in 0..<He { layer[b * H + d * He + j] = t.data[((k * D + d) * B + b) * He + j] }
                    }
                }
                return layer
            }
        }
        // Batch-major states for attention (B, S, H).
        var states = [Float](repeating: 0, count: B * S * H)
        for t in 0..<S { for b in 0..<B { for j in 0..<H { states[(b * S + t) * H + j] = output.data[(t * B + b) * H + j] } } }
        return EncodedSource(batch: B, sourceLength: S, states: states, mask: batch.mask, lengths: batch.lengths,
                             hidden: layerStates(final.h), cells: final.c.map(layerStates))
    }

    /// Backward through the encoder run kept in `workspace`, given dL/dstates (B, S, H) batch-major
    /// and dL/d(final state) per layer (L × (B, H), and cells for LSTM). Adds into the gradients.
    func encoderBackward(dStates: [Float], dHidden: [[Float]], dCells: [[Float]]?, workspace ws: EncoderWorkspace) {
        let a = architecture, B = ws.batch, S = ws.steps
        let E = a.embeddingSize, H = a.hiddenSize, He = a.encoderHiddenSize, D = a.directions, L = a.numLayers
        var dOutput = Tensor(zeros: [S, B, H])
        for b in 0..<B { for t in 0..<S { for j in 0..<H { dOutput.data[(t * B + b) * H + j] = dStates[(b * S + t) * H + j] } } }
        func slots(_ layers: [[Float]]) -> Tensor {
            var t = Tensor(zeros: [L * D, B, He])
            for k in 0..<L {
                for d in 0..<D {
                    for b in 0..<B {
                        for j in 0..<He { t.data[((k * D + d) * B + b) * He + j] = layers[k][b * H + d * He + j] }
                    }
                }
            }
            return t
        }
        var (dInput, _) = encoder.backward(dOutput, dFinal: RecurrentState(h: slots(dHidden), c: dCells.map(slots)), cache: ws.cache)
        precondition(dInput.count == S * B * E)
        for i in ws.embeddingKeep.data.indices { dInput.data[i] *= ws.embeddingKeep.data[i] }
        dInput.data.withUnsafeBufferPointer { sourceEmbedding.backward(dy: $0.baseAddress!, ids: ws.ids, mask: ws.idMask) }
    }
}
