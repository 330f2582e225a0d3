import NeuralCore
import XCTest

/// Shapes first, then the largest absolute difference against `tolerance` (STYLE.md's rule for
/// comparing with values an independent implementation computed).
public func assertClose(_ actual: Tensor, _ expected: Tensor?, _ what: String, tolerance: Float = 2e-5,
                        file: StaticString = #filePath, line: UInt = #line) {
    guard let expected else { return XCTFail("\(what): missing from the fixture", file: file, line: line) }
    XCTAssertEqual(actual.shape, expected.shape, "\(what): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    XCTAssertLessThanOrEqual(actual.maxAbsDifference(expected), tolerance, "\(what): largest difference", file: file, line: line)
}

/// The same for flat values against a fixture's doubles, the tolerance relative to the largest
/// expected magnitude (at least 1).
public func assertClose(_ actual: [Float], _ expected: [Double], _ what: String, tolerance: Double = 1e-5,
                        file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what): size", file: file, line: line)
    let scale = max(1, expected.map(abs).max() ?? 1)
    let largest = zip(actual, expected).map { abs(Double($0) - $1) }.max() ?? 0
    XCTAssertLessThan(largest, tolerance * scale, "\(what): largest difference \(largest)", file: file, line: line)
}
