import Foundation

/// An exclusive lock on an output folder for the lifetime of this object, so that two runs never
/// write into one folder: `flock(LOCK_EX | LOCK_NB)` on `<folder>/.glossa.lock`, which holds the
/// owner's pid. The kernel releases the lock when the process dies, however it dies.
public final class FolderLock {
    /// The locked folder.
    public let folder: String
    private let descriptor: Int32

    /// The name of the lock file inside a locked folder.
    public static let fileName = ".glossa.lock"

    /// Locks `folder` (which must exist). Throws `InputError` "folder X is in use by another glossa
    /// run (pid N)" when another process (or another `FolderLock` in this one) holds it.
    public init(folder: String) throws {
        self.folder = folder
        let path = folder + "/" + FolderLock.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw InputError("cannot lock the folder: \(String(cString: strerror(errno)))", file: folder) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, 32, 0)
            close(fd)
            let pid = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
            throw InputError("folder \(folder) is in use by another glossa run\(pid.isEmpty ? "" : " (pid \(pid))"); wait for it to finish or choose another folder")
        }
        descriptor = fd
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, text, text.count, 0)
    }

    deinit { close(descriptor) }
}
