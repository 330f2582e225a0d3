import Foundation
import TestSupport
import XCTest

/// The folder SwiftPM builds products into (the test bundle's folder or one of its parents).
func productsFolder(holding product: String) -> URL {
    var folder = Bundle(for: MPIRunMarker.self).bundleURL
    while !FileManager.default.fileExists(atPath: folder.appendingPathComponent(product).path) {
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { break }
        folder = parent
    }
    return folder
}

private final class MPIRunMarker {}

/// The built executable `product` (glossa, glossa-mpi-check).
func product(_ name: String) -> String { productsFolder(holding: name).appendingPathComponent(name).path }

/// Tests/TwoHosts/two-hosts.sh: runs an MPI command with one rank in each of two network namespaces.
let twoHostsScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("TwoHosts/two-hosts.sh").path

/// The `mpirun` on PATH, or nil (tests then skip with a message).
func mpirunPath() -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(folder)/mpirun"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Skips the calling test when Open MPI's mpirun is not installed.
func requireMPIRun() throws -> String {
    guard let path = mpirunPath() else {
        throw XCTSkip("mpirun not found: install openmpi-bin (make test does as root) to run the MPI tests")
    }
    return path
}

/// Runs `mpirun -np ranks --oversubscribe executable arguments` (allowed to run as root, one thread
/// per rank, shared memory and loopback TCP only).
func mpirun(_ ranks: Int, _ executable: String, _ arguments: [String], timeout: Double = 120,
            file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
    let launcher = try requireMPIRun()
    return try runProcess(launcher, ["-np", "\(ranks)", "--oversubscribe", "--bind-to", "none", executable] + arguments,
                   environment: ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
                                 "OMPI_MCA_btl": "self,vader,tcp", "OMPI_MCA_btl_tcp_if_include": "lo",
                                 "OMPI_MCA_oob_tcp_if_include": "lo", "OPENBLAS_NUM_THREADS": "1"],
                   timeout: timeout, file: file, line: line)
}

/// A small seeded generator for test corpora (the same text on every run and rank).
struct TestNumbers {
    var state: UInt64
    /// A number in 0..<n.
    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
}
