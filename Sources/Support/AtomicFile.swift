import Foundation

/// Writes files so that a reader never sees half of one: the bytes go to a temporary file in the
/// destination's folder (see `AtomicFileWriter`), synced to disk, then renamed over the destination.
/// Errors name the path and the system's reason ("No space left on device", "Permission denied").
public enum AtomicFile {
    /// Writes `data` to `path` atomically.
    public static func write(_ data: Data, to path: String) throws {
        try write([(path, data)])
    }

    /// Writes `text` as UTF-8 to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `parts` end to end to `path` atomically, without joining them into one copy first (a
    /// large output need not be held twice). A failed write removes the temporary file.
    public static func write(_ parts: [[UInt8]], to path: String) throws {
        let writer = try AtomicFileWriter(destination: path)
        do {
            for part in parts { try part.withUnsafeBytes { try writer.write($0) } }
        } catch {
            writer.discard()
            throw error
        }
        try commit([writer])
    }

    /// Writes several files as one unit: every file is complete on disk before the first is renamed
    /// into place, so a full disk or a signal leaves either all the old files or all the new ones
    /// (only a crash between the renames, microseconds apart, can leave some of each).
    public static func write(_ files: [(path: String, data: Data)]) throws {
        var writers: [AtomicFileWriter] = []
        do {
            for (path, data) in files {
                let writer = try AtomicFileWriter(destination: path)
                writers.append(writer)
                try writer.write(data)
            }
        } catch {
            for writer in writers { writer.discard() }
            throw error
        }
        try commit(writers)
    }

    /// Commits writers as one unit: syncs every temporary file, and only when all succeeded renames
    /// them over their destinations. On an error every writer not yet renamed is discarded.
    public static func commit(_ writers: [AtomicFileWriter]) throws {
        do {
            for writer in writers { try writer.finish() }
            for writer in writers { try writer.commit() }
        } catch {
            for writer in writers { writer.discard() }
            throw error
        }
    }
}
