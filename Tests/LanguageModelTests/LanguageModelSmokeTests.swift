import XCTest
@testable import LanguageModel

final class LanguageModelSmokeTests: XCTestCase {
    func testModuleLoads() throws {
        XCTAssertTrue(true, "placeholder until the module has real tests")
    }
}
