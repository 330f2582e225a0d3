import XCTest
@testable import NeuralCore

final class NeuralCoreSmokeTests: XCTestCase {
    func testModuleLoads() throws {
        XCTAssertTrue(true, "placeholder until the module has real tests")
    }
}
