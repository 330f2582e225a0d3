/// A mistake in what the user gave Glossa: a missing file, bad bytes, a malformed row, a wrong
/// checkpoint. Its description is one line naming the file (and line or byte offset) and what to do.
/// The CLI prints it on stderr and exits with status 1.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ message: String, file: String? = nil, line: Int? = nil) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String {
        switch (file, line) {
        case let (file?, line?): return "\(file):\(line): \(message)"
        case let (file?, nil): return "\(file): \(message)"
        default: return message
        }
    }
}
