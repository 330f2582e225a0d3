import NeuralCore
import TextProcessing

/// Buffers a model reuses from one chunk to the next, so that a training step allocates only small
/// (T·B·H) tensors once the sizes have settled. One workspace per model and thread.
public final class LanguageModelWorkspace {
    let rnnCache = RecurrentCache()
    /// Dropout masks of the embeddings (T, B, E) and of the RNN output (T·B, H), 0 or 1/(1 − p).
    var embeddingMask = Tensor(zeros: [0])
    var outputMask = Tensor(zeros: [0])
    /// (T·B, H): the RNN output after dropout, the decoder's input.
    var decoderInput = Tensor(zeros: [0, 0])
    /// (T·B, V): logits, overwritten by dL/dlogits.
    var logits = Tensor(zeros: [0, 0])

    public init() {}

    func logitsBuffer(rows: Int, vocabulary: Int) {
        if logits.shape != [rows, vocabulary] { logits = Tensor(zeros: [rows, vocabulary]) }
    }
}

extension RNNLanguageModel {
    /// Forward through embedding, RNN and decoder for ids (T, B) from `state`; leaves the logits
    /// (T·B, V) in `workspace.logits` and returns the final state (detached: nothing flows back
    /// into the previous chunk). Dropout only when `key` is given: the embeddings at site 0, the
    /// RNN output at site 1, between RNN layers at sites 2 + k (see `DropoutKey`), locked across
    /// time when `variationalDropout`. Without `addsBias` the logits lack the decoder's bias (training:
    /// the fused softmax cross-entropy adds it, `biasOf:`).
    private func forwardLogits(_ ids: [Int32], steps T: Int, batch B: Int, state: RecurrentState,
                               key: DropoutKey?, addsBias: Bool = true, workspace: LanguageModelWorkspace) -> RecurrentState {
        let E = config.embeddingSize, H = config.hiddenSize, N = T * B
        let key = key.map { var locked = $0; locked.lockedAcrossTime = variationalDropout; return locked }
        var x = encoder.forward(ids).reshaped([T, B, E])
        if let key, dropout > 0 {
            (x, workspace.embeddingMask) = Dropout(probability: dropout).forward(x, steps: T, batch: B, key: key.at(site: 0))
        }
        var output: Tensor, final: RecurrentState
        if let key {
            (output, final, _) = rnn.forward(x, initial: state, training: key.at(site: 2), reusing: workspace.rnnCache)
        } else {
            (output, final, _) = rnn.forward(x, initial: state, reusing: workspace.rnnCache)
        }
        output = output.reshaped([N, H])
        if let key, dropout > 0 {
            (output, workspace.outputMask) = Dropout(probability: dropout).forward(output, steps: T, batch: B, key: key.at(site: 1))
        }
        workspace.decoderInput = output
        workspace.logitsBuffer(rows: N, vocabulary: config.vocabSize)
        output.data.withUnsafeBufferPointer { px in
            workspace.logits.data.withUnsafeMutableBufferPointer { py in
                decoder.forward(y: py.baseAddress!, x: px.baseAddress!, rows: N, addsBias: addsBias)
            }
        }
        return final
    }

    /// One training pass over a chunk: forward, loss, backward. Adds into the store's gradients the
    /// gradient of loss = Σ_{t,b} −log p(target[t,b]) / B — summed over the T′ steps, averaged over
    /// the B columns, the objective of Zaremba et al. (2014) — and returns the chunk's summed
    /// negative log-likelihood over its T′·B tokens and the final state to carry into the next chunk.
    /// Dropout masks come from `dropout` (row b is column b of the stream).
    public func trainingStep(_ chunk: LanguageModelChunk, state: RecurrentState, dropout key: DropoutKey,
                             workspace: LanguageModelWorkspace) -> (nll: Double, final: RecurrentState) {
        let T = chunk.length, B = chunk.batchSize, N = T * B, E = config.embeddingSize, H = config.hiddenSize
        let final = forwardLogits(chunk.input, steps: T, batch: B, state: state, key: key, addsBias: false, workspace: workspace)
        let (loss, _) = softmaxCrossEntropyInPlace(&workspace.logits, targets: chunk.target, scale: 1 / Float(B),
                                                   biasOf: decoder)

        var dOutput = Tensor(zeros: [N, H])
        dOutput.data.withUnsafeMutableBufferPointer { dx in
            workspace.logits.data.withUnsafeBufferPointer { dy in
                workspace.decoderInput.data.withUnsafeBufferPointer { x in
                    decoder.backward(dx: dx.baseAddress!, dy: dy.baseAddress!, x: x.baseAddress!, rows: N, addsBiasGradient: false)
                }
            }
        }
        if dropout > 0 { dOutput = Dropout(probability: dropout).backward(dOutput, mask: workspace.outputMask) }
        var (dInput, _) = rnn.backward(dOutput.reshaped([T, B, H]), cache: workspace.rnnCache)
        if dropout > 0 { dInput = Dropout(probability: dropout).backward(dInput, mask: workspace.embeddingMask) }
        encoder.backward(dInput.reshaped([N, E]), ids: chunk.input)
        return (Double(loss) * Double(B), final)
    }

    /// Summed negative log-likelihood of a chunk's targets (no dropout, no gradients) and the final
    /// state to carry into the next chunk.
    public func negativeLogLikelihood(_ chunk: LanguageModelChunk, state: RecurrentState,
                                      workspace: LanguageModelWorkspace) -> (nll: Double, final: RecurrentState) {
        let final = forwardLogits(chunk.input, steps: chunk.length, batch: chunk.batchSize, state: state,
                                  key: nil, workspace: workspace)
        let (sum, _) = softmaxCrossEntropyInPlace(&workspace.logits, targets: chunk.target, scale: 1)
        return (Double(sum), final)
    }

    /// Reads ids (T steps of one column) from `state` and returns the log-probabilities (V) of the
    /// next token after the last one, and the state after it.
    public func nextLogProbabilities(after ids: [Int32], state: RecurrentState,
                                     workspace: LanguageModelWorkspace) -> (logProbabilities: [Float], final: RecurrentState) {
        precondition(!ids.isEmpty, "nextLogProbabilities needs at least one token")
        let final = forwardLogits(ids, steps: ids.count, batch: 1, state: state, key: nil, workspace: workspace)
        let last = workspace.logits.slice((ids.count - 1)..<ids.count)
        return (logSoftmax(last).data, final)
    }
}
