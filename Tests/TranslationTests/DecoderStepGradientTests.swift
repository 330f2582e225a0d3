import NeuralCore
import TestSupport
import XCTest
@testable import Translation

/// Central finite differences of one decoder step alone (`decoderStep`) against its backward
/// (`decoderStepBackward`): the decoder's parameters, the embedded input, the encoder states and
/// the state before the step, for a loss that reads every output of the step (z_t^top, c_t and the
/// new state of every layer). Float32 with h = 1e-2, `GradientCheck`'s tolerance (TestSupport).
final class DecoderStepGradientTests: XCTestCase {
    func testDecoderStepBackwardMatchesFiniteDifferences() {
        for cell in [RecurrentCell.gru, .lstm, .rnnTanh] {
            let architecture = TranslatorArchitecture(cell: cell, embeddingSize: 3, hiddenSize: 4, numLayers: 2,
                                                      sourceVocabSize: 5, targetVocabSize: 6)
            let translator = Translator(architecture, seed: 3)
            let (B, S, E, H, L) = (2, 3, 3, 4, 2)
            var rng = SplitMix64(seed: 17)
            func random(_ count: Int) -> [Float] { GradientCheck.random([count], &rng).data }
            let lstm = cell.hasCellState
            // Row 1's last source position is padding.
            var source = EncodedSource(batch: B, sourceLength: S, states: random(B * S * H), mask: [1, 1, 1, 1, 1, 0],
                                       lengths: [3, 2], hidden: (0..<L).map { _ in random(B * H) },
                                       cells: lstm ? (0..<L).map { _ in random(B * H) } : nil)
            for j in 0..<H { source.states[(1 * S + 2) * H + j] = 0 }
            var embedded = GradientCheck.random([B, E], &rng)
            let rOutput = random(B * H), rContext = random(B * H)
            let rHidden = (0..<L).map { _ in random(B * H) }, rCells = (0..<L).map { _ in random(B * H) }

            /// One step from `source`'s final state; the loss Σ r ⊙ (z_t^top, c_t, h_t and c_t of every layer).
            /// The input (B, E + H) and the layer outputs (L, B, H) are written to `buffers`, which the
            /// caches point into until backward.
            func forward(_ embedded: Tensor, _ source: EncodedSource, caches: [RecurrentLayerCache],
                         buffers: UnsafeMutablePointer<Float>) -> (loss: Double, weights: [Float]) {
                let input = buffers, outputs = buffers + B * (E + H)
                var context = [Float](repeating: 0, count: B * H), weights = [Float](repeating: 0, count: B * S)
                for b in 0..<B { for j in 0..<E { input[b * (E + H) + j] = embedded.data[b * E + j] } }
                var state = translator.initialState(source)
                context.withUnsafeMutableBufferPointer { c in
                weights.withUnsafeMutableBufferPointer { w in
                    translator.decoderStep(DecoderStepBuffers(input: input, context: c.baseAddress!, weights: w.baseAddress!,
                                                              outputs: (0..<L).map { outputs + $0 * B * H }),
                                           state: &state, source: source, caches: caches)
                }}
                var loss = 0.0
                func add(_ r: [Float], _ v: UnsafePointer<Float>) { for i in r.indices { loss += Double(r[i]) * Double(v[i]) } }
                add(rOutput, outputs + (L - 1) * B * H)
                add(rContext, context)
                for l in 0..<L { add(rHidden[l], state.hidden[l]) }
                if let cells = state.cells { for l in 0..<L { add(rCells[l], cells[l]) } }
                return (loss, weights)
            }
            let buffers = UnsafeMutablePointer<Float>.allocate(capacity: B * (E + H) + L * B * H)
            defer { buffers.deallocate() }
            func loss(_ embedded: Tensor, _ source: EncodedSource) -> Double {
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: B * (E + H) + L * B * H)
                defer { scratch.deallocate() }
                return forward(embedded, source, caches: (0..<L).map { _ in RecurrentLayerCache() }, buffers: scratch).loss
            }

            // Analytic: the forward keeps its caches; the backward starts from dL/d(new state) = r.
            let caches = (0..<L).map { _ in RecurrentLayerCache() }
            translator.store.zeroGradients()
            let weights = forward(embedded, source, caches: caches, buffers: buffers).weights
            var dState = DecoderState(hidden: rHidden, cells: lstm ? rCells : nil)
            var dEmbedded = [Float](repeating: 0, count: B * E), dStates = [Float](repeating: 0, count: B * S * H)
            rOutput.withUnsafeBufferPointer { dz in
            rContext.withUnsafeBufferPointer { dc in
            dEmbedded.withUnsafeMutableBufferPointer { de in
            dStates.withUnsafeMutableBufferPointer { dh in
            source.hidden[L - 1].withUnsafeBufferPointer { query in
            weights.withUnsafeBufferPointer { w in
                translator.decoderStepBackward(DecoderStepGradients(output: dz.baseAddress!, context: dc.baseAddress!,
                                                                    embedded: de.baseAddress!, states: dh.baseAddress!),
                                               state: &dState, query: query.baseAddress!, weights: w.baseAddress!,
                                               source: source, caches: caches)
            }}}}}}

            GradientCheck.checkParameters(translator.store, samples: 6, seed: 5) { loss(embedded, source) }
            GradientCheck.checkInput(&embedded, gradient: Tensor(shape: [B, E], data: dEmbedded), name: "\(cell) embedded") {
                loss($0, source)
            }
            var states = Tensor(shape: [B * S * H], data: source.states)
            GradientCheck.checkInput(&states, gradient: Tensor(shape: [B * S * H], data: dStates), name: "\(cell) states") {
                var s = source
                s.states = $0.data
                return loss(embedded, s)
            }
            for l in 0..<L {
                var h = Tensor(shape: [B * H], data: source.hidden[l])
                GradientCheck.checkInput(&h, gradient: Tensor(shape: [B * H], data: dState.hidden[l]), name: "\(cell) h0 layer \(l)") {
                    var s = source
                    s.hidden[l] = $0.data
                    return loss(embedded, s)
                }
                if lstm, let cells = source.cells, let dCells = dState.cells {
                    var c = Tensor(shape: [B * H], data: cells[l])
                    GradientCheck.checkInput(&c, gradient: Tensor(shape: [B * H], data: dCells[l]), name: "\(cell) c0 layer \(l)") {
                        var s = source
                        s.cells?[l] = $0.data
                        return loss(embedded, s)
                    }
                }
            }
        }
    }
}
