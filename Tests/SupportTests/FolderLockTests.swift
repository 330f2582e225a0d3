import Foundation
import Support
import TestSupport
import XCTest

final class FolderLockTests: XCTestCase {
    /// Item 2's building block: a second lock on a folder fails with a one-line error naming the
    /// folder and the holder's pid; once the first is released the folder can be locked again.
    func testSecondLockFailsNamingFolderAndPid() throws {
        let folder = try TemporaryFolder("lock")
        defer { folder.remove() }
        var first: FolderLock? = try FolderLock(folder: folder.path)
        XCTAssertNotNil(first)
        XCTAssertEqual(try String(contentsOfFile: folder.path + "/.glossa.lock", encoding: .utf8), "\(getpid())\n")
        XCTAssertThrowsError(try FolderLock(folder: folder.path)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".hasPrefix("folder \(folder.path) is in use by another glossa run (pid \(getpid()))"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        first = nil
        XCTAssertNoThrow(try FolderLock(folder: folder.path))
    }

    func testMissingFolderIsAnInputError() {
        XCTAssertThrowsError(try FolderLock(folder: "/nonexistent-glossa-folder")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent-glossa-folder"), "\(error)")
        }
    }
}
