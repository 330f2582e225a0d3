/// `--threads N` for the work Glossa spreads over cores itself (tokenizer chunks, vocabulary counts):
/// at most this many at once (nil: as many as the library chooses). NeuralCore's `ComputeThreads`
/// sets it together with OpenBLAS's threads, so the flag means the same on every command.
public enum ThreadLimit {
    nonisolated(unsafe) public static var count: Int?

    /// `wanted` workers within the limit (at least 1).
    public static func workers(_ wanted: Int) -> Int { max(1, min(wanted, count ?? wanted)) }
}
