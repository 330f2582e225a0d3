import Foundation

/// A buffered byte sink for command output: standard output, or a file written atomically through
/// an `AtomicFileWriter` (bytes go to a temporary file beside the destination, renamed over it by
/// `commit()`; if the work fails first, `discard()` or deinit removes it, and so does SIGINT/SIGTERM
/// once `Interrupt` is installed, so no partial output file is left behind).
public final class OutputStream {
    private let file: AtomicFileWriter?
    private var buffer: [UInt8] = []
    private var done = false

    /// Standard output.
    public init() {
        file = nil
        buffer.reserveCapacity(1 << 16)
    }

    /// A file at `path`, nil or "-" for standard output. Throws `InputError` at once when the
    /// folder is missing or not writable, before any work is done.
    public init(path: String?) throws {
        file = try path.flatMap { $0 == "-" ? nil : try AtomicFileWriter(destination: $0) }
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if !done { discard() } }

    /// Appends bytes.
    @inline(__always)
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends text as UTF-8.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes out what is buffered.
    public func flush() throws {
        try buffer.withUnsafeBytes { raw in
            if let file { try file.write(raw); return }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw InputError("cannot write: \(String(cString: strerror(errno)))", file: "<stdout>")
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Finishes the output: flushes, and for a file renames the temporary file over the destination.
    public func commit() throws {
        try OutputStream.commit([self])
    }

    /// Finishes several outputs as one unit: the files are all complete on disk before the first is
    /// renamed into place (see `AtomicFile.commit`).
    public static func commit(_ streams: [OutputStream]) throws {
        do {
            for stream in streams { try stream.flush() }
        } catch {
            for stream in streams { stream.discard() }
            throw error
        }
        for stream in streams { stream.done = true }
        try AtomicFile.commit(streams.compactMap(\.file))
    }

    /// Abandons a file output: removes the temporary file. Standard output is only flushed.
    public func discard() {
        done = true
        if let file { file.discard() } else { try? flush() }
    }
}
