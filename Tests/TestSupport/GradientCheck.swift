import XCTest
import NeuralCore

/// Central-difference gradient checks on Float32 computations.
///
/// Tolerance: the forward runs in Float32 (unit roundoff u ≈ 6e-8). The check loss is
/// L = Σ r ⊙ outputs accumulated in Double over n ≲ 500 outputs of size ≲ 1, so its rounding error
/// is about u·√n ≈ 1.5e-6 and the central difference with step ε = 1e-2 carries
/// ≈ 1.5e-6 / (2ε) ≈ 1e-4 of noise; the truncation error is ε²/6·|L'''| ≈ 2e-5 for these smooth
/// functions of O(1) inputs. Hence |numeric − analytic| ≤ 1e-3 + 1e-2·|analytic|: a wrong gate,
/// sign or missing term gives errors of order |analytic|, 10–1000× above it.
public enum GradientCheck {
    public static let step: Float = 1e-2

    public static func close(_ numeric: Double, _ analytic: Double) -> Bool {
        abs(numeric - analytic) <= 1e-3 + 1e-2 * abs(analytic)
    }

    /// Checks `count` entries (all when nil) of every parameter in `store` against the gradients
    /// `store` holds (the caller ran backward first). `loss` recomputes the loss.
    public static func checkParameters(_ store: ParameterStore, samples: Int? = 12, seed: UInt64 = 99,
                                file: StaticString = #filePath, line: UInt = #line, loss: () -> Double) {
        var rng = SplitMix64(seed: seed)
        var checked = 0
        for p in store.parameters {
            let indices = samples.map { n in (0..<n).map { _ in Int(rng.next() % UInt64(p.count)) } } ?? Array(0..<p.count)
            for i in indices {
                let w = store.value(p) + i
                let saved = w.pointee
                w.pointee = saved + step
                let plus = loss()
                w.pointee = saved - step
                let minus = loss()
                w.pointee = saved
                let numeric = (plus - minus) / Double(2 * step)
                let analytic = Double(store.gradient(p)[i])
                XCTAssert(close(numeric, analytic), "\(p.name)[\(i)]: numeric \(numeric), analytic \(analytic)", file: file, line: line)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, file: file, line: line)
    }

    /// Checks every element of an input tensor against its analytic gradient.
    public static func checkInput(_ x: inout Tensor, gradient: Tensor, name: String, file: StaticString = #filePath,
                           line: UInt = #line, loss: (Tensor) -> Double) {
        XCTAssertEqual(x.shape, gradient.shape, "\(name) gradient shape", file: file, line: line)
        for i in x.data.indices {
            let saved = x.data[i]
            x.data[i] = saved + step
            let plus = loss(x)
            x.data[i] = saved - step
            let minus = loss(x)
            x.data[i] = saved
            let numeric = (plus - minus) / Double(2 * step)
            XCTAssert(close(numeric, Double(gradient.data[i])), "\(name)[\(i)]: numeric \(numeric), analytic \(gradient.data[i])",
                      file: file, line: line)
        }
    }

    /// Σ r ⊙ t in Double.
    public static func dot(_ r: Tensor, _ t: Tensor) -> Double {
        precondition(r.shape == t.shape)
        var s: Double = 0
        for i in r.data.indices { s += Double(r.data[i]) * Double(t.data[i]) }
        return s
    }

    public static func random(_ shape: [Int], _ rng: inout SplitMix64, bound: Float = 1) -> Tensor {
        Tensor(shape: shape, uniformBound: bound, rng: &rng)
    }
}
