import Foundation

/// Writes a file so that readers never see half of it: a temporary file in the same folder, then
/// rename(2) over the destination.
enum AtomicWrite {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError("cannot write: folder \(folder) does not exist", file: path)
        }
        let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CheckpointError("cannot write: folder \(folder) is not writable", file: path)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CheckpointError("cannot write: \(reason)", file: path)
        }
    }
}
