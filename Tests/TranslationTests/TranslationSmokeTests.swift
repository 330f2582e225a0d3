import XCTest
@testable import Translation

final class TranslationSmokeTests: XCTestCase {
    func testModuleLoads() throws {
        XCTAssertTrue(true, "placeholder until the module has real tests")
    }
}
