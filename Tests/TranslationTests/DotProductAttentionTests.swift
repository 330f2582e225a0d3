import Foundation
import NeuralCore
import TestSupport
import XCTest

/// Attention forward and backward against PyTorch (Tools/make_attention_fixture.py, float64 values
/// compared with Float32 arithmetic: tolerance 1e-5 relative to the largest magnitude).
final class DotProductAttentionTests: XCTestCase {
    struct Fixture: Decodable {
        var B: Int, S: Int, H: Int
        var lengths: [Int]
        var states: [Double], z: [Double], context: [Double], weights: [Double]
        var d_context: [Double], d_weights: [Double], d_z: [Double], d_states: [Double]
    }

    func load() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/attention.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testForwardAndBackwardMatchPyTorch() throws {
        let f = try load()
        var mask = [Float](repeating: 0, count: f.B * f.S)
        for (b, n) in f.lengths.enumerated() { for j in 0..<n { mask[b * f.S + j] = 1 } }
        let states = Tensor(shape: [f.B, f.S, f.H], data: f.states.map(Float.init))
        let query = Tensor(shape: [f.B, f.H], data: f.z.map(Float.init))
        let (context, weights) = DotProductAttention.forward(query: query, states: states, mask: mask)
        assertClose(context.data, f.context, "context")
        assertClose(weights.data, f.weights, "weights")
        let (dz, dStates) = DotProductAttention.backward(
            dContext: Tensor(shape: [f.B, f.H], data: f.d_context.map(Float.init)),
            dWeights: Tensor(shape: [f.B, f.S], data: f.d_weights.map(Float.init)),
            query: query, states: states, weights: weights)
        XCTAssertEqual(dz.shape, [f.B, f.H])
        XCTAssertEqual(dStates.shape, [f.B, f.S, f.H])
        assertClose(dz.data, f.d_z, "dz")
        assertClose(dStates.data, f.d_states, "dstates")
    }

    func testPaddedPositionsGetNoWeightAndNoGradient() throws {
        let f = try load()
        var mask = [Float](repeating: 0, count: f.B * f.S)
        for (b, n) in f.lengths.enumerated() { for j in 0..<n { mask[b * f.S + j] = 1 } }
        var states = Tensor(shape: [f.B, f.S, f.H], data: f.states.map(Float.init))
        // Junk in the padding changes nothing.
        for (b, n) in f.lengths.enumerated() { for j in n..<f.S { for k in 0..<f.H { states[b, j, k] = 1e4 } } }
        let query = Tensor(shape: [f.B, f.H], data: f.z.map(Float.init))
        let (context, weights) = DotProductAttention.forward(query: query, states: states, mask: mask)
        assertClose(context.data, f.context, "context with junk padding")
        let (_, dStates) = DotProductAttention.backward(dContext: Tensor(shape: [f.B, f.H], data: f.d_context.map(Float.init)),
                                                        query: query, states: states, weights: weights)
        let cache = (weights: weights.data, 0)
        for (b, n) in f.lengths.enumerated() {
            for j in 0..<f.S {
                XCTAssertEqual(cache.weights[b * f.S + j] == 0, j >= n)
                if j >= n { for k in 0..<f.H { XCTAssertEqual(dStates[b, j, k], 0) } }
            }
            let rowSum = (0..<f.S).map { cache.weights[b * f.S + $0] }.reduce(0, +)
            XCTAssertEqual(rowSum, 1, accuracy: 1e-6)
        }
    }
}
