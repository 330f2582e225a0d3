import Foundation
import XCTest

/// A fresh folder under the system's temporary folder, removed by `remove()`.
public struct TemporaryFolder {
    public let path: String

    public init(_ name: String) throws {
        path = NSTemporaryDirectory() + "glossa-\(name)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// The names in the folder, sorted (hidden ones included).
    public func names() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A tmpfs of `kilobytes` mounted in a fresh folder: a small disk that fills up. Skips the test
/// when mounting is not permitted (not root, or no CAP_SYS_ADMIN in a container).
public final class SmallDisk {
    public let path: String

    public init(kilobytes: Int) throws {
        path = NSTemporaryDirectory() + "glossa-full-disk-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]
        mount.standardError = FileHandle.nullDevice
        do { try mount.run() } catch {
            rmdir(path)
            throw XCTSkip("cannot run mount: \(error)")
        }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            rmdir(path)
            throw XCTSkip("mounting a tmpfs is not permitted here (needs root); the full-disk test is skipped")
        }
    }

    public func unmount() {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = [path]
        try? umount.run()
        umount.waitUntilExit()
        rmdir(path)
    }
}
