import Foundation

/// A buffered byte sink for command output: standard output, or a file written atomically (bytes go
/// to a temporary file beside the destination, renamed over it by `commit()`; if the work fails
/// first, `discard()` or deinit removes it, so no partial output file is left behind).
public final class OutputStream {
    private let descriptor: Int32
    private let destination: String?
    private let temporary: String?
    private var buffer: [UInt8] = []
    private var done = false

    /// Standard output.
    public init() {
        descriptor = 1
        destination = nil
        temporary = nil
        buffer.reserveCapacity(1 << 16)
    }

    /// A file at `path`, nil or "-" for standard output. Throws `InputError` at once when the
    /// folder is missing or not writable, before any work is done.
    public convenience init(path: String?) throws {
        if let path, path != "-" { try self.init(file: path) } else { self.init() }
    }

    private init(file path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("cannot write: folder \(folder) does not exist", file: path)
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError("cannot write: it is a folder", file: path)
        }
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw InputError("cannot write: \(String(cString: strerror(errno)))", file: path) }
        descriptor = fd
        destination = path
        self.temporary = temporary
        buffer.reserveCapacity(1 << 16)
    }

    deinit { if !done { discard() } }

    /// Appends bytes.
    @inline(__always)
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends one byte.
    @inline(__always)
    public func write(byte: UInt8) throws {
        buffer.append(byte)
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
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    throw InputError("cannot write: \(reason)", file: destination ?? "<stdout>")
                }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Finishes the output: flushes, and for a file renames the temporary file over the destination.
    public func commit() throws {
        try flush()
        done = true
        guard let destination, let temporary else { return }
        close(descriptor)
        if rename(temporary, destination) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError("cannot write: \(reason)", file: destination)
        }
    }

    /// Abandons a file output: removes the temporary file. Standard output is only flushed.
    public func discard() {
        done = true
        if let temporary {
            close(descriptor)
            unlink(temporary)
        } else {
            try? flush()
        }
    }
}
