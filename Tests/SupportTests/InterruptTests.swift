import Foundation
import Support
import XCTest

/// The non-cooperative mode (exit 130, temporaries removed) is tested on the real binary in
/// GlossaCLITests/InterruptCommandTests; here the cooperative flag and the registry.
final class InterruptTests: XCTestCase {
    func testCooperativeFirstSignalOnlyRaisesTheFlag() {
        Interrupt.install(cooperative: true)
        Interrupt.clearRequest()
        XCTAssertFalse(Interrupt.isRequested)
        raise(SIGTERM)
        XCTAssertTrue(Interrupt.isRequested)
        Interrupt.clearRequest()
        raise(SIGINT)
        XCTAssertTrue(Interrupt.isRequested)
        Interrupt.clearRequest()
        XCTAssertEqual(Interrupt.exitStatus, 130)
    }

    func testRegistryCountsAndForgetsPaths() {
        let before = Interrupt.registeredCount
        XCTAssertTrue(Interrupt.register(temporary: "/tmp/glossa-interrupt-test-a"))
        XCTAssertTrue(Interrupt.register(temporary: "/tmp/glossa-interrupt-test-b"))
        XCTAssertEqual(Interrupt.registeredCount, before + 2)
        Interrupt.unregister(temporary: "/tmp/glossa-interrupt-test-a")
        Interrupt.unregister(temporary: "/tmp/glossa-interrupt-test-unknown")
        XCTAssertEqual(Interrupt.registeredCount, before + 1)
        Interrupt.unregister(temporary: "/tmp/glossa-interrupt-test-b")
        XCTAssertEqual(Interrupt.registeredCount, before)
        XCTAssertFalse(Interrupt.register(temporary: "/" + String(repeating: "x", count: 5000)))
    }
}
