import XCTest
@testable import Deduplication

final class DeduplicationSmokeTests: XCTestCase {
    func testModuleLoads() throws {
        XCTAssertTrue(true, "placeholder until the module has real tests")
    }
}
