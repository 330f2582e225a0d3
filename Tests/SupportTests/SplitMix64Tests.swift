import XCTest
import Support

final class SplitMix64Tests: XCTestCase {
    /// The reference stream for seed 0 (Vigna's splitmix64.c; the same three numbers from a Python port).
    func testMatchesTheReferenceStream() {
        var g = SplitMix64(seed: 0)
        XCTAssertEqual([g.next(), g.next(), g.next()], [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    func testUniformAndGaussianDraws() {
        var g = SplitMix64(seed: 42)
        let n = 20_000
        let units = (0..<n).map { _ in g.nextUnit() }
        XCTAssertTrue(units.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(units.reduce(0, +) / Double(n), 0.5, accuracy: 0.01)
        let normals = (0..<n).map { _ in g.nextGaussian() }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        XCTAssertEqual(a.nextNormal(), Float(b.nextGaussian()))
    }
}
