import Foundation

/// One file being written atomically: bytes go to `.NAME.glossa-tmp-PID-N` in the destination's
/// folder (open, write, fsync), which `commit()` renames over the destination. Until then the
/// temporary is registered with `Interrupt`, so SIGINT/SIGTERM removes it; `discard()` (or deinit
/// before a commit) removes it too. Temporaries of processes that no longer exist (left by SIGKILL
/// or a power cut) are removed the first time this process writes into their folder.
public final class AtomicFileWriter {
    /// Where the file ends up.
    public let destination: String
    /// The temporary file the bytes go to first.
    public let temporary: String
    private var descriptor: Int32 = -1
    private var state = State.writing

    private enum State { case writing, finished, committed, discarded }

    /// What every temporary file name contains, followed by the writer's pid.
    public static let temporaryMarker = ".glossa-tmp-"

    /// Creates the temporary file for `path`. Throws `InputError` naming `path` when its folder is
    /// missing, `path` is a folder, or the temporary cannot be created (with the system's reason).
    public init(destination path: String) throws {
        destination = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("cannot write: folder \(folder) does not exist", file: path)
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError("cannot write: it is a folder", file: path)
        }
        AtomicFileWriter.removeStaleTemporaries(in: folder)
        // Long names are cut so that the temporary's name stays under the 255-byte limit.
        let name = String(url.lastPathComponent.unicodeScalars.prefix(160))
        temporary = folder + "/." + name + AtomicFileWriter.temporaryMarker + "\(getpid())-\(AtomicFileWriter.nextSerial())"
        Interrupt.register(temporary: temporary)  // before the file exists: a signal from here on removes it
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            Interrupt.unregister(temporary: temporary)
            state = .discarded
            throw InputError("cannot write: \(reason)", file: path)
        }
        descriptor = fd
    }

    deinit { if state == .writing || state == .finished { discard() } }

    /// Appends bytes. Throws `InputError` naming the destination with the system's reason.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(state == .writing, "AtomicFileWriter.write after finish, commit or discard")
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure()
            }
            offset += written
        }
    }

    /// Appends `data`.
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Syncs and closes the temporary file: every byte is on disk, not yet at the destination.
    public func finish() throws {
        guard state == .writing else { return }
        if fsync(descriptor) != 0 && errno != EINVAL { throw failure() }  // EINVAL: a file system without fsync
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 && errno != EINTR { throw failure() }
        state = .finished
    }

    /// Finishes the file and renames it over the destination.
    public func commit() throws {
        try finish()
        guard state == .finished else { return }
        if rename(temporary, destination) != 0 { throw failure() }
        state = .committed
        Interrupt.unregister(temporary: temporary)
    }

    /// Abandons the file: removes the temporary. Does nothing after a commit.
    public func discard() {
        guard state == .writing || state == .finished else { return }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporary)
        Interrupt.unregister(temporary: temporary)
        state = .discarded
    }

    /// The error for the current `errno`, naming the destination; the temporary is removed.
    private func failure() -> InputError {
        let reason = String(cString: strerror(errno))
        discard()
        return InputError("cannot write: \(reason)", file: destination)
    }

    // MARK: Stale temporaries

    nonisolated(unsafe) private static var serial = 0
    nonisolated(unsafe) private static var cleanedFolders: Set<String> = []
    private static let lock = NSLock()

    private static func nextSerial() -> Int {
        lock.lock()
        defer { lock.unlock() }
        serial += 1
        return serial
    }

    /// Removes the temporaries in `folder` whose writer process no longer exists, once per folder
    /// and process.
    public static func removeStaleTemporaries(in folder: String) {
        lock.lock()
        let first = cleanedFolders.insert(folder).inserted
        lock.unlock()
        guard first, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let pid = writerPID(ofTemporary: name), pid != getpid(), !processExists(pid) else { continue }
            unlink(folder + "/" + name)
        }
    }

    /// The pid in a temporary's name `.NAME.glossa-tmp-PID-N`, nil for other names.
    static func writerPID(ofTemporary name: String) -> Int32? {
        guard name.hasPrefix("."), let marker = name.range(of: temporaryMarker, options: .backwards) else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, Int(parts[1]) != nil else { return nil }
        return pid
    }

    /// Whether a process with this pid exists (EPERM: it exists but belongs to someone else).
    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
