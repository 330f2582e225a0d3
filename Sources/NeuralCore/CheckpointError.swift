/// A checkpoint that cannot be read or does not fit the model: a missing or truncated file, a
/// malformed header, a missing tensor, a wrong shape or dtype. One line naming the file and what is
/// wrong (the CLI prints it and exits with status 1).
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String

    public init(_ message: String, file: String) {
        self.message = message
        self.file = file
    }

    public var description: String { "\(file): \(message)" }
}
