import NeuralCore
import TextProcessing

/// Buffers one training step keeps between forward and backward, reused across batches so that
/// steady-state training allocates little. Shapes: T target length, B batch, S source length,
/// E embedding, H hidden, N real target tokens, time-major.
public final class TranslatorWorkspace {
    let encoder: EncoderWorkspace
    let decoderInput = FloatBuffer()            // (T, B, E + H): [embed(y_{t−1}); c_t]
    var layerOutputs: [FloatBuffer]             // per decoder layer (T, B, H); the top one is z_t
    var caches: [[RecurrentLayerCache]]         // [layer][t]
    let contexts = FloatBuffer()                // (T, B, H) c_t
    let weights = FloatBuffer()                 // (T, B, S) a_t

    public init(_ architecture: TranslatorArchitecture) {
        encoder = EncoderWorkspace(architecture)
        layerOutputs = (0..<architecture.numLayers).map { _ in FloatBuffer() }
        caches = (0..<architecture.numLayers).map { _ in [] }
    }

    func ensureSteps(_ T: Int) {
        for l in caches.indices { while caches[l].count < T { caches[l].append(RecurrentLayerCache()) } }
    }
}

/// What a teacher-forced forward pass leaves for the loss and the backward pass (besides the
/// workspace's buffers).
struct TeacherForcedRun {
    var source: EncodedSource
    var ids: [Int32]                 // (T, B) y_{t−1}, time-major
    var targetMask: [Float]          // (T, B)
    var rows: [Int]                  // (N) the real target positions t·B + b
    var targets: [Int32]             // (N)
    var zc: [Float]                  // (N, 2H) [z_t; c_t] after dropout
    var embeddingKeep: [Float]       // (T, B, E) dropout factors, empty without dropout
    var outputKeep: [Float]          // (N, 2H) dropout factors, empty without dropout
    var logits: Tensor               // (N, Vt)
}

extension Translator {
    /// Mean cross-entropy per real target token of `batch` with teacher forcing, forward only (no
    /// dropout, gradients untouched), and the number of those tokens: validation's loss.
    public func loss(_ batch: SentenceBatch, workspace: TranslatorWorkspace) -> (loss: Float, tokens: Int) {
        var run = teacherForced(batch, dropout: 0, key: nil, workspace: workspace)
        let (loss, count) = softmaxCrossEntropyInPlace(&run.logits, targets: run.targets)
        return (loss, count)
    }

    /// Forward and backward on one batch with teacher forcing: *adds* dL/dθ into the store's
    /// gradients, L the mean cross-entropy over the batch's real target tokens, and returns L and
    /// the number of those tokens. With `dropout` > 0 and a `key` (training) the source embeddings
    /// (site 0), the target embeddings (site 1) and [z_t; c_t] (site 2) are dropped; the row of a
    /// mask is the sentence pair's position in the batch.
    @discardableResult
    public func accumulateGradients(_ batch: SentenceBatch, dropout: Float = 0, key: DropoutKey? = nil,
                                    workspace ws: TranslatorWorkspace) -> (loss: Float, tokens: Int) {
        var run = teacherForced(batch, dropout: dropout, key: key, addsOutputBias: false, workspace: ws)
        let (loss, count) = softmaxCrossEntropyInPlace(&run.logits, targets: run.targets, biasOf: output)
        backward(run, workspace: ws)
        return (loss, count)
    }

    /// The decoder step (`decoderStep`) unrolled over the target with teacher forcing, then the
    /// output layer over the real target positions: logits = W [z_t; c_t] + b (without b when not
    /// `addsOutputBias`: training's fused softmax cross-entropy adds it, `biasOf:`).
    func teacherForced(_ batch: SentenceBatch, dropout: Float, key: DropoutKey?, addsOutputBias: Bool = true,
                       workspace ws: TranslatorWorkspace) -> TeacherForcedRun {
        let a = architecture, B = batch.count, S = batch.sourceLength, T = batch.targetLength
        let E = a.embeddingSize, H = a.hiddenSize, L = a.numLayers, EH = E + H
        let drop = key != nil && dropout > 0
        ws.ensureSteps(T)
        let source = encode(SentenceSources(batch), dropout: dropout, key: key, workspace: ws.encoder)

        // Decoder inputs: embeddings of y_{t−1} for every step at once; contexts are filled per step.
        let ids = SentenceBatch.timeMajor(batch.decoderInput, batch: B, length: T)
        let targetMask = SentenceBatch.timeMajor(batch.targetMask, batch: B, length: T)
        var embedded = Tensor(zeros: [T, B, E])
        embedded.data.withUnsafeMutableBufferPointer { targetEmbedding.forward(y: $0.baseAddress!, ids: ids) }
        var embeddingKeep = Tensor(zeros: [0])
        if let key, drop { (embedded, embeddingKeep) = Dropout(probability: dropout).forward(embedded, steps: T, batch: B, key: key.at(site: 1)) }
        let X = ws.decoderInput.reserve(T * B * EH)
        embedded.data.withUnsafeBufferPointer { e in
            for r in 0..<(T * B) { (X + r * EH).update(from: e.baseAddress! + r * E, count: E) }
        }
        let outs = (0..<L).map { ws.layerOutputs[$0].reserve(T * B * H) }
        let contexts = ws.contexts.reserve(T * B * H), weights = ws.weights.reserve(T * B * S)

        var state = initialState(source)
        for t in 0..<T {
            decoderStep(DecoderStepBuffers(input: X + t * B * EH, context: contexts + t * B * H, weights: weights + t * B * S,
                                           outputs: outs.map { $0 + t * B * H }),
                        state: &state, source: source, caches: ws.caches.map { $0[t] })
        }

        let rows = (0..<(T * B)).filter { targetMask[$0] != 0 }
        let N = rows.count
        var zc = [Float](repeating: 0, count: N * 2 * H)
        for (i, r) in rows.enumerated() {
            for j in 0..<H { zc[i * 2 * H + j] = outs[L - 1][r * H + j]; zc[i * 2 * H + H + j] = contexts[r * H + j] }
        }
        var outputKeep: [Float] = drop ? [Float](repeating: 0, count: N * 2 * H) : []
        if let key, drop {
            outputKeep.withUnsafeMutableBufferPointer { m in
                let site = key.at(site: 2)
                for (i, r) in rows.enumerated() {
                    site.fillRow(m.baseAddress! + i * 2 * H, width: 2 * H, time: r / B, row: r % B, rate: dropout)
                }
            }
            for i in outputKeep.indices { zc[i] *= outputKeep[i] }
        }
        var logits = Tensor(zeros: [N, a.targetVocabSize])
        logits.data.withUnsafeMutableBufferPointer { y in zc.withUnsafeBufferPointer { output.forward(y: y.baseAddress!, x: $0.baseAddress!, rows: N, addsBias: addsOutputBias) } }
        let targets = SentenceBatch.timeMajor(batch.target, batch: B, length: T)
        return TeacherForcedRun(source: source, ids: ids, targetMask: targetMask, rows: rows, targets: rows.map { targets[$0] },
                                zc: zc, embeddingKeep: embeddingKeep.data, outputKeep: outputKeep, logits: logits)
    }

    /// Backward through a teacher-forced run whose logits hold dL/dlogits (the output bias's gradient
    /// already added by the fused cross-entropy): the output layer, then
    /// `decoderStepBackward` from the last step to the first, then the target embeddings and the
    /// encoder. Adds into the gradients.
    func backward(_ run: TeacherForcedRun, workspace ws: TranslatorWorkspace) {
        let a = architecture, B = run.source.batch, S = run.source.sourceLength, T = run.ids.count / Swift.max(B, 1)
        let E = a.embeddingSize, H = a.hiddenSize, L = a.numLayers, N = run.rows.count
        let top = ws.layerOutputs[L - 1].pointer, weights = ws.weights.pointer

        var dzc = [Float](repeating: 0, count: N * 2 * H)
        dzc.withUnsafeMutableBufferPointer { dx in
        run.logits.data.withUnsafeBufferPointer { dy in
        run.zc.withUnsafeBufferPointer { x in
            output.backward(dx: dx.baseAddress!, dy: dy.baseAddress!, x: x.baseAddress!, rows: N, addsBiasGradient: false)
        }}}
        for i in run.outputKeep.indices { dzc[i] *= run.outputKeep[i] }
        var dZ = [Float](repeating: 0, count: T * B * H), dContext = [Float](repeating: 0, count: T * B * H)
        for (i, r) in run.rows.enumerated() {
            for j in 0..<H { dZ[r * H + j] = dzc[i * 2 * H + j]; dContext[r * H + j] = dzc[i * 2 * H + H + j] }
        }

        // Backward through time, one decoder step at a time; step t attended with z_{t−1}^top (the
        // encoder's final top state at t = 0).
        let zeros = [[Float]](repeating: [Float](repeating: 0, count: B * H), count: L)
        var dState = DecoderState(hidden: zeros, cells: a.cell.hasCellState ? zeros : nil)
        var dStates = [Float](repeating: 0, count: B * S * H), dEmbedded = [Float](repeating: 0, count: T * B * E)
        dZ.withUnsafeBufferPointer { dz in
        dContext.withUnsafeBufferPointer { dc in
        dEmbedded.withUnsafeMutableBufferPointer { de in
        dStates.withUnsafeMutableBufferPointer { dh in
        run.source.hidden[L - 1].withUnsafeBufferPointer { z0 in
            for t in stride(from: T - 1, through: 0, by: -1) {
                let gradients = DecoderStepGradients(output: dz.baseAddress! + t * B * H, context: dc.baseAddress! + t * B * H,
                                                     embedded: de.baseAddress! + t * B * E, states: dh.baseAddress!)
                decoderStepBackward(gradients, state: &dState, query: t == 0 ? z0.baseAddress! : UnsafePointer(top + (t - 1) * B * H),
                                    weights: weights + t * B * S, source: run.source, caches: ws.caches.map { $0[t] })
            }
        }}}}}
        for i in run.embeddingKeep.indices { dEmbedded[i] *= run.embeddingKeep[i] }
        dEmbedded.withUnsafeBufferPointer { targetEmbedding.backward(dy: $0.baseAddress!, ids: run.ids, mask: run.targetMask) }
        encoderBackward(dStates: dStates, dHidden: dState.hidden, dCells: dState.cells, workspace: ws.encoder)
    }
}
