import Foundation
import MessagePassing
import TestSupport
import XCTest

/// The collectives on one process and, under mpirun, on 2 and 3 (glossa-mpi-check predicts every
/// result from the rank count).
final class CommunicatorTests: XCTestCase {
    func testSingleProcessCollectivesAreTheIdentity() {
        let world = SingleProcessCommunicator()
        XCTAssertEqual(world.rank, 0)
        XCTAssertEqual(world.size, 1)
        var values: [Float] = [1.5, -2, 3]
        world.allreduceSum(&values)
        world.broadcast(&values)
        XCTAssertEqual(values, [1.5, -2, 3])
        XCTAssertEqual(world.exclusiveScanSum(Int64(7)), 0)
        XCTAssertEqual(world.allgather([1.0, 2.0]), [[1.0, 2.0]])
        XCTAssertEqual(world.allToAll([Int32(4), 5], counts: [2]).values, [4, 5])
        XCTAssertEqual(world.allToAll([[UInt16(9)]]).counts, [1])
        XCTAssertTrue(world.isRoot)
    }

    func testWorldIsOneProcessWithoutMPIRun() throws {
        guard ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_SIZE"] == nil else { throw XCTSkip("running under mpirun") }
        XCTAssertTrue(try worldCommunicator() is SingleProcessCommunicator)
        let result = try runProcess(product("glossa-mpi-check"), [])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "rank 0 of 1: ok\n")
    }

    func testCollectivesOnTwoAndThreeRanks() throws {
        for ranks in [2, 3] {
            let result = try mpirun(ranks, product("glossa-mpi-check"), [])
            XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
            let lines = result.stdout.split(separator: "\n").map(String.init).sorted()
            XCTAssertEqual(lines, (0..<ranks).map { "rank \($0) of \(ranks): ok" }, result.stderr)
        }
    }

    /// run(…, timeout:) fails the test if the job hangs instead of ending.
    func testAbortOnOneRankEndsTheJob() throws {
        let result = try mpirun(2, product("glossa-mpi-check"), ["--abort-on-last-rank"], timeout: 60)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("rank 1: aborting with status 3"), result.stderr)
    }

    /// Two "hosts" (network namespaces routed through the root namespace), one rank in each, over TCP.
    func testCollectivesAcrossTwoNetworkNamespaces() throws {
        _ = try requireMPIRun()
        let result = try runProcess(twoHostsScript, [product("glossa-mpi-check")], timeout: 120)
        if result.stdout.hasPrefix("skipped:") { throw XCTSkip(result.stdout) }
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").sorted(), ["rank 0 of 2: ok", "rank 1 of 2: ok"], result.stderr)
    }
}

/// Consecutive shares of about equal cost, covering every item once.
final class BalancedSharesTests: XCTestCase {
    func testSharesAreConsecutiveCoverEveryItemAndBalanceTheCost() {
        XCTAssertEqual(balancedShares(costs: [4, 4, 1, 1, 1, 1], parts: 2), [0..<1, 1..<6])
        XCTAssertEqual(balancedShares(costs: [1, 1, 1, 1, 1, 1], parts: 3), [0..<2, 2..<4, 4..<6])
        XCTAssertEqual(balancedShares(costs: [5], parts: 3).map(\.count).reduce(0, +), 1)
        XCTAssertEqual(balancedShares(costs: [], parts: 2), [0..<0, 0..<0])
        XCTAssertEqual(balancedShares(costs: [0, 0, 0, 0], parts: 2), [0..<2, 2..<4])
        var seed: UInt64 = 7
        for _ in 0..<200 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let n = Int(seed >> 59), parts = 1 + Int((seed >> 40) % 4)
            let costs = (0..<n).map { Int((seed >> UInt64(($0 * 5) % 50)) % 30) + 1 }
            let shares = balancedShares(costs: costs, parts: parts)
            XCTAssertEqual(shares.count, parts)
            XCTAssertEqual(shares.first?.lowerBound, 0)
            XCTAssertEqual(shares.last?.upperBound, n)
            for (a, b) in zip(shares, shares.dropFirst()) { XCTAssertEqual(a.upperBound, b.lowerBound) }
            // Each share is within one item's cost of total/parts.
            let total = costs.reduce(0, +), largest = costs.max() ?? 0
            for share in shares {
                XCTAssertLessThanOrEqual(abs(costs[share].reduce(0, +) * parts - total), largest * parts, "\(costs) \(shares)")
            }
        }
    }
}
