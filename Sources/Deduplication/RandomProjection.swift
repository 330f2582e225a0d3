/// A seeded Gaussian random projection from D sparse dimensions to d dense ones (Johnson–
/// Lindenstrauss): y = R x with R[j][i] ~ N(0, 1/d), so distances are kept in expectation.
public struct RandomProjection: Sendable {
    public let inputDimension: Int, outputDimension: Int
    /// R stored (D, d) row-major.
    let matrix: [Double]

    public init(inputDimension: Int, outputDimension: Int, seed: UInt64) {
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension
        var generator = SplitMix64(seed: seed ^ 0x5EED)
        let scale = 1 / Double(outputDimension).squareRoot()
        matrix = (0..<(inputDimension * outputDimension)).map { _ in generator.nextGaussian() * scale }
    }

    /// The projected rows, (N, d) row-major.
    public func project(_ rows: SparseRows) -> [Double] {
        var out = [Double](repeating: 0, count: rows.count * outputDimension)
        for r in 0..<rows.count {
            for p in rows.starts[r]..<rows.starts[r + 1] {
                let base = Int(rows.indices[p]) * outputDimension, v = Double(rows.values[p])
                for j in 0..<outputDimension { out[r * outputDimension + j] += v * matrix[base + j] }
            }
        }
        return out
    }
}
