/// A failure every rank of the job reached together (`Communicator.agreeing`): each rank throws
/// this same error, so the job can report it once (rank 0) and every rank exit non-zero without
/// MPI_Abort.
public struct AgreedError: Error, CustomStringConvertible {
    /// The failing rank's message (the lowest failing rank's).
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Communicator {
    /// Runs `body` on every rank and agrees on the outcome: when it throws on any rank, every rank
    /// throws an `AgreedError` carrying the message of the lowest rank that failed (for a file read
    /// in rank order, the first bad line, as one process would report it). A collective call: every
    /// rank calls it, and `body` itself must make no collective calls.
    public func agreeing<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        var message = ""
        do { value = try body() } catch { message = String(describing: error) }
        if size == 1 {
            if let value { return value }
            throw AgreedError(message)
        }
        let failed = allgather([Int64(value == nil ? 1 : 0)]).firstIndex { $0[0] != 0 }
        guard let failed else { return value! }
        throw AgreedError(broadcast(message, root: failed))
    }
}
