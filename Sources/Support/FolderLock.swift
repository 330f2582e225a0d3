import Foundation

/// An exclusive lock on an output folder for the lifetime of this object, so that two runs never
/// write into one folder: `flock(LOCK_EX | LOCK_NB)` on `<folder>/.glossa.lock`, which holds the
/// owner's pid. The kernel releases the lock when the process dies, however it dies, so a stale lock
/// file never blocks a later run. Keep the object alive as long as the run writes into the folder.
public final class FolderLock {
    /// The locked folder.
    public let folder: String
    /// The lock file, `<folder>/.glossa.lock`.
    public let path: String
    private let descriptor: Int32

    /// The name of the lock file inside a locked folder.
    public static let fileName = ".glossa.lock"

    /// Locks `folder` (which must exist). Throws `InputError` "folder X is in use by another glossa
    /// run (pid N)" when another process (or another `FolderLock` in this one) holds it.
    public init(folder: String) throws {
        self.folder = folder
        path = (folder.hasSuffix("/") ? folder : folder + "/") + FolderLock.fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw InputError("cannot lock the folder: \(String(cString: strerror(errno)))", file: folder)
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            let owner = FolderLock.pid(readFrom: fd)
            close(fd)
            if code == EWOULDBLOCK {
                let who = owner.map { " (pid \($0))" } ?? ""
                throw InputError("folder \(folder) is in use by another glossa run\(who); wait for it to finish or choose another folder")
            }
            throw InputError("cannot lock the folder: \(String(cString: strerror(code)))", file: folder)
        }
        descriptor = fd
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
    }

    deinit { close(descriptor) }  // closing the descriptor releases the lock

    /// The pid written in an open lock file, if it holds one.
    private static func pid(readFrom fd: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}
