import Foundation

/// A block of complete lines read from one source: `bytes` holds them with their line breaks,
/// `firstLine` is the 1-based number of the first, `fileOffset` the byte offset of `bytes[0]`.
public struct LineChunk: Sendable {
    public var bytes: [UInt8]
    public var firstLine: Int
    public var fileOffset: Int
    /// The name errors give: the path, or "<stdin>".
    public var source: String

    /// Calls `body` with each line (without "\n" or "\r\n"), checked to be UTF-8 no longer than
    /// `maxLineBytes`. Invalid UTF-8 throws `InputError` naming the source, line and byte offset,
    /// unless `lenient`, which replaces it with U+FFFD. Returns the number of replacements.
    @discardableResult
    public func forEachLine(lenient: Bool = false, maxLineBytes: Int = LineReader.defaultMaxLineBytes,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        var replacements = 0
        var repaired: [UInt8] = []
        try bytes.withUnsafeBytes { all in
            guard let base = all.baseAddress else { return }
            let n = all.count
            var start = 0
            var line = firstLine
            while start < n {
                let rest = n - start
                let found = memchr(base + start, 0x0A, rest)
                let newline = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? n
                var end = newline
                if end > start && all[end - 1] == 0x0D { end -= 1 }
                if end - start > maxLineBytes {
                    throw InputError("line is longer than \(maxLineBytes) bytes; Glossa reads text one line at a time, so split it into lines",
                                     file: source, line: line)
                }
                let text = UnsafeRawBufferPointer(start: base + start, count: end - start)
                if let bad = UTF8Validation.firstInvalidOffset(text) {
                    guard lenient else {
                        let byte = String(format: "0x%02X", all[start + bad])
                        throw InputError("invalid UTF-8 (byte \(byte) at byte offset \(fileOffset + start + bad)); convert the file to UTF-8 (for example with iconv) or pass --lenient to replace bad bytes with U+FFFD",
                                         file: source, line: line)
                    }
                    repaired.removeAll(keepingCapacity: true)
                    replacements += UTF8Validation.repair(text, into: &repaired)
                    try repaired.withUnsafeBytes { try body($0) }
                } else {
                    try body(text)
                }
                start = newline + 1
                line += 1
            }
        }
        return replacements
    }
}

/// Reads UTF-8 text line by line from a file or standard input without holding it all in memory.
/// Every failure is an `InputError` naming the file and line: a missing, unreadable or directory
/// path, invalid UTF-8 (unless `lenient`), a line longer than `maxLineBytes`.
public final class LineReader {
    /// Lines longer than this (1 MiB) are refused.
    public static let defaultMaxLineBytes = 1 << 20

    /// The name errors give: the path, or "<stdin>".
    public let source: String
    /// Replace invalid UTF-8 with U+FFFD (and count it) instead of failing.
    public var lenient = false
    public var maxLineBytes = LineReader.defaultMaxLineBytes
    /// Replacements made so far in lenient mode by `forEachLine`.
    public private(set) var replacements = 0
    /// Bytes read so far.
    public private(set) var bytesRead = 0
    /// The size of the file when known (a regular file), else nil.
    public let fileSize: Int?

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var pending: [UInt8] = []
    private var nextLine = 1
    private var nextOffset = 0
    private var finished = false
    /// The read buffer, allocated on the first read (an init that throws must not leave one behind:
    /// deinit does not run then).
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)

    /// Opens `path`; nil or "-" reads standard input.
    public init(path: String?) throws {
        if path == nil || path == "-" {
            source = "<stdin>"
            descriptor = 0
            ownsDescriptor = false
            fileSize = nil
            return
        }
        let path = path!
        source = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied (the file is not readable)" : String(cString: strerror(errno))
            throw InputError("cannot open: \(reason)", file: path)
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError("is a folder, not a text file", file: path)
        }
        fileSize = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        descriptor = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
        scratch.deallocate()
    }

    /// The next block of complete lines, about `targetBytes` long (more when a line is longer), or
    /// nil at the end. The last line needs no line break.
    public func readChunk(targetBytes: Int = 1 << 21) throws -> LineChunk? {
        guard !finished || !pending.isEmpty else { return nil }
        var buffer = pending
        pending = []
        var searchFrom = 0
        var lastNewline = -1
        let step = max(1 << 16, min(targetBytes, 1 << 22))
        while true {
            if let found = buffer.lastIndex(from: searchFrom, of: 0x0A) { lastNewline = found }
            if lastNewline >= 0 && buffer.count >= targetBytes { break }
            if finished { break }
            if buffer.count - (lastNewline + 1) > maxLineBytes {
                let lines = nextLine + buffer.countNewlines(upTo: lastNewline + 1)
                throw InputError("line is longer than \(maxLineBytes) bytes; Glossa reads text one line at a time, so split it into lines",
                                 file: source, line: lines)
            }
            searchFrom = buffer.count
            if scratch.count < step {
                scratch.deallocate()
                scratch = .allocate(byteCount: step, alignment: 16)
            }
            var got = 0
            repeat { got = read(descriptor, scratch.baseAddress!, step) } while got < 0 && errno == EINTR
            if got < 0 {
                throw InputError("cannot read: \(String(cString: strerror(errno)))", file: source, line: nextLine)
            }
            buffer.append(contentsOf: UnsafeRawBufferPointer(start: scratch.baseAddress!, count: got))
            bytesRead += got
            if got == 0 { finished = true }
        }
        if buffer.isEmpty { return nil }
        let cut = finished ? buffer.count : lastNewline + 1
        if cut < buffer.count { pending = Array(buffer[cut...]); buffer.removeLast(buffer.count - cut) }
        let chunk = LineChunk(bytes: buffer, firstLine: nextLine, fileOffset: nextOffset, source: source)
        nextLine += buffer.countNewlines(upTo: buffer.count) + (finished && buffer.last != 0x0A ? 1 : 0)
        nextOffset += buffer.count
        return chunk
    }

    /// Calls `body` with each line, checked (see `LineChunk.forEachLine`).
    public func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        while let chunk = try readChunk() {
            replacements += try chunk.forEachLine(lenient: lenient, maxLineBytes: maxLineBytes, body)
        }
    }

    /// Opens every file (nil or "-" is standard input; no files: standard input) before any work, so
    /// that a missing one fails first, then hands each reader to `body`. A named file that holds nothing is an `InputError`
    /// saying that it should hold `expected`.
    public static func forEach(_ files: [String?], expected: String = "a text file with one sentence or paragraph per line",
                               _ body: (LineReader) throws -> Void) throws {
        for reader in try (files.isEmpty ? [nil] : files).map({ try LineReader(path: $0) }) {
            try body(reader)
            if reader.bytesRead == 0 && reader.source != "<stdin>" {
                throw InputError("the file is empty; give \(expected)", file: reader.source)
            }
        }
    }

    /// Every line of `path` as strings (small files: vocabularies, test inputs).
    public static func lines(of path: String, lenient: Bool = false) throws -> [String] {
        let reader = try LineReader(path: path)
        reader.lenient = lenient
        var result: [String] = []
        try reader.forEachLine { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }
}

extension Array where Element == UInt8 {
    /// The index of the last `byte` at or after `from`, or nil.
    fileprivate func lastIndex(from: Int, of byte: UInt8) -> Int? {
        withUnsafeBytes { raw in
            var i = raw.count - 1
            while i >= from {
                if raw[i] == byte { return i }
                i -= 1
            }
            return nil
        }
    }

    /// The number of "\n" in self[0..<end].
    fileprivate func countNewlines(upTo end: Int) -> Int {
        withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return 0 }
            var count = 0
            var start = 0
            while start < end, let found = memchr(base + start, 0x0A, end - start) {
                count += 1
                start = base.distance(to: UnsafeRawPointer(found)) + 1
            }
            return count
        }
    }
}
