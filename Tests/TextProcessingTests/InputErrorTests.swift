import XCTest
@testable import TextProcessing

final class InputErrorTests: XCTestCase {
    func testDescriptionNamesFileAndLine() {
        XCTAssertEqual(InputError("invalid UTF-8", file: "a.txt", line: 3).description, "a.txt:3: invalid UTF-8")
        XCTAssertEqual(InputError("missing", file: "a.txt").description, "a.txt: missing")
        XCTAssertEqual(InputError("plain").description, "plain")
    }

    func testAtomicWriteRefusesMissingFolder() {
        XCTAssertThrowsError(try AtomicFile.write("x", to: "/nonexistent-folder-glossa/out.txt")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent-folder-glossa"))
        }
    }
}
