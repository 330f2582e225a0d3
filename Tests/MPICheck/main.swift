// glossa-mpi-check: runs every collective of `worldCommunicator()` on values whose result each rank
// can predict, prints "rank R of N: ok" (or what differed) and exits 1 on a difference.
//   glossa-mpi-check                                  one process (the SingleProcessCommunicator)
//   mpirun -np 3 --oversubscribe glossa-mpi-check     every rank checks the sums of all three
//   glossa-mpi-check --abort-on-last-rank             the last rank calls abort(status: 3)
import Foundation
import MessagePassing

let world: any Communicator
do {
    world = try worldCommunicator()
} catch {
    FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
    exit(1)
}
let (r, n) = (world.rank, world.size)
var failures: [String] = []
func expect(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { failures.append(what()) } }

// Open MPI's message layer: named ob1 before MPI_Init on a machine without InfiniBand or Omni-Path
// devices, when nobody chose one (glossa_mpi_init).
if n > 1, ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/infiniband")) ?? []).isEmpty {
    expect(getenv("OMPI_MCA_pml") != nil, "OMPI_MCA_pml named before MPI_Init")
}

// allreduce: rank r sends (r + 1)·(i + 1), so the sum is n(n + 1)/2 · (i + 1). 300,001 elements
// (an odd size larger than Open MPI's segment sizes).
let count = 300_001
let triangle = n * (n + 1) / 2
var floats = (0..<count).map { Float((r + 1) * ($0 % 97 + 1)) }
world.allreduceSum(&floats)
expect(floats.indices.allSatisfy { floats[$0] == Float(triangle * ($0 % 97 + 1)) }, "allreduceSum Float")
var doubles = (0..<1000).map { Double(r + 1) * (Double($0) + 0.5) }
world.allreduceSum(&doubles)
expect(doubles.indices.allSatisfy { doubles[$0] == Double(triangle) * (Double($0) + 0.5) }, "allreduceSum Double")
let big = Int64(1) << 40
expect(world.allreduceSum(big + Int64(r)) == Int64(n) * big + Int64(n * (n - 1) / 2), "allreduceSum Int64")
var empty: [Float] = []
world.allreduceSum(&empty)

// broadcast from the last rank.
var message = (0..<17).map { UInt8(r == n - 1 ? $0 * 3 : 0) }
world.broadcast(&message, root: n - 1)
expect(message == (0..<17).map { UInt8($0 * 3) }, "broadcast UInt8 from rank \(n - 1)")
expect(world.broadcast(Double(r) + 0.25, root: 0) == 0.25, "broadcast Double from rank 0")
expect(world.broadcast(String(repeating: "é✓", count: n - 1 + (r == n - 1 ? 1 : 0)), root: n - 1) == String(repeating: "é✓", count: n),
       "broadcast String from rank \(n - 1)")

// exclusive scan: the sum of (k + 1) over ranks k < r.
expect(world.exclusiveScanSum(Int64(r + 1)) == Int64(r * (r + 1) / 2), "exclusiveScanSum Int64")

// allgather: rank k contributes k copies of k (rank 0 an empty array).
let gathered = world.allgather([Int64](repeating: Int64(r), count: r))
expect(gathered == (0..<n).map { [Int64](repeating: Int64($0), count: $0) }, "allgather Int64: \(gathered)")
// allgatherConcatenated of Int32: rank k contributes k copies of −k, end to end with the counts.
let joined = world.allgatherConcatenated([Int32](repeating: Int32(-r), count: r))
expect(joined.values == (0..<n).flatMap { [Int32](repeating: Int32(-$0), count: $0) } && joined.counts == Array(0..<n),
       "allgatherConcatenated Int32: \(joined)")
// allgatherConcatenated of UInt16 (sparse vectors' column indices): rank k contributes 65535 − k once.
expect(world.allgatherConcatenated([UInt16(65535 - r)]).values == (0..<n).map { UInt16(65535 - $0) }, "allgatherConcatenated UInt16")
// gatherConcatenated to the last rank: the same values there, nothing elsewhere.
let toLast = world.gatherConcatenated([UInt8](repeating: UInt8(r), count: r + 1), root: n - 1)
expect(toLast == (r == n - 1 ? (0..<n).flatMap { [UInt8](repeating: UInt8($0), count: $0 + 1) } : []), "gatherConcatenated to rank \(n - 1): \(toLast)")
// allToAll: rank k sends rank j (j + 1) copies of 100k + j, so rank r receives r + 1 copies of 100k + r
// from each rank k, in rank order.
let exchanged = world.allToAll((0..<n).map { j in [Int64](repeating: Int64(100 * r + j), count: j + 1) })
expect(exchanged.values == (0..<n).flatMap { k in [Int64](repeating: Int64(100 * k + r), count: r + 1) } && exchanged.counts == [Int](repeating: r + 1, count: n),
       "allToAll Int64: \(exchanged)")
// allToAll of one joined buffer with counts (Float): rank k sends rank j the j + k values k + j / 8,
// laid out rank after rank, so rank r receives r + k values k + r / 8 from each rank k.
let laidOut = (0..<n).flatMap { j in [Float](repeating: Float(r) + Float(j) / 8, count: j + r) }
let flat = world.allToAll(laidOut, counts: (0..<n).map { $0 + r })
expect(flat.values == (0..<n).flatMap { k in [Float](repeating: Float(k) + Float(r) / 8, count: r + k) } && flat.counts == (0..<n).map { r + $0 },
       "allToAll Float with counts: \(flat)")
world.barrier()

if CommandLine.arguments.contains("--abort-on-last-rank") && r == n - 1 {
    FileHandle.standardError.write(Data("rank \(r): aborting with status 3\n".utf8))
    world.abort(status: 3)
}
world.barrier()
print(failures.isEmpty ? "rank \(r) of \(n): ok" : "rank \(r) of \(n): FAILED \(failures.joined(separator: ", "))")
exit(failures.isEmpty ? 0 : 1)
