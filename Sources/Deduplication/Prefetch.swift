/// Software prefetch: the stages that visit rows scattered over a large table (k-means assignment,
/// candidate pairs) ask for a row's cache lines a few rows before they read it, so that the memory
/// latencies overlap instead of adding up. A hint only: results never depend on it.

/// LLVM's prefetch intrinsic (Swift has no prefetch of its own): address, write 0, locality 3
/// (keep in all cache levels), data cache 1.
@_silgen_name("llvm.prefetch.p0")
func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cache: Int32)

/// Asks for the cache line holding `address`.
@inline(__always)
func prefetch<T>(_ address: UnsafePointer<T>) { llvmPrefetch(UnsafeRawPointer(address), 0, 3, 1) }

/// Asks for the cache lines of row `row` of a compressed-row table (2-byte indices, 4-byte values).
@inline(__always)
func prefetchRow(_ row: Int, _ starts: UnsafeBufferPointer<Int>, _ indices: UnsafeBufferPointer<UInt16>, _ values: UnsafeBufferPointer<Float>) {
    let start = starts[row], end = starts[row + 1]
    for p in stride(from: start, to: end, by: 32) { prefetch(indices.baseAddress! + p) }
    for p in stride(from: start, to: end, by: 16) { prefetch(values.baseAddress! + p) }
}
