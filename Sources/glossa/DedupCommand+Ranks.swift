import Deduplication
import Foundation
import MessagePassing
import Support

/// `mpirun -np N glossa dedup FILE …`: every rank reads and normalizes its own rows, the ranks
/// deduplicate together (`Deduplicator.run(rows:fields:communicator:)`), and each rank writes its
/// own rows into the one output file (`writeOnRanks`): every input row and column in input order
/// plus `cluster_id`, the same file one process writes. A failure any rank meets is reported once
/// and every rank exits non-zero.
extension DedupCommand {
    func runOnRanks(_ world: any Communicator) throws {
        guard format == .csv, !skipBadRows, report == nil, !explain, !mixtureThreshold, method == .correlation, labels == nil else {
            throw AgreedError("under mpirun, dedup reads CSV with --method correlation, without --format lines, --skip-bad-rows, --report, --explain, --mixture-threshold or --labels; run one process for those")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let parser = CSVParser(delimiter: delimiter.flatMap(delimiterByte))
        var share = try parser.parseShare(contentsOf: input, communicator: world)
        let columns = try world.agreeing { [share] in
            guard share.totalRows > 0 else { throw InputError("no rows under the header", file: input) }
            return try DedupColumns(table: share.table, fields: fields, labels: nil, file: input)
        }
        let deduplicator = try world.agreeing { try Deduplicator(options: dedupOptions) }
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, readInCollectives = world.secondsInCollectives
        // As in one process, the deduplicator gets the only copy of the rows; the share's bytes are
        // read again for the output.
        let ownRows = share.table.rows, ownCount = ownRows.count
        share.table.rows = CSVRows()
        // Each stage's seconds inside collectives (read first), taken as the deduplicator ends the stage.
        var inCollectives = [readInCollectives], before = readInCollectives
        let result = deduplicator.run(rows: consume ownRows, fields: columns.fields, communicator: world) { _, _ in
            let now = world.secondsInCollectives
            inCollectives.append(now - before)
            before = now
        }

        // Each rank's rows as CSV, copied from the file's bytes where they stand as written (as in
        // one process: `DedupCommand.outputParts`), each rank writing its own.
        let writeStart = DispatchTime.now().uptimeNanoseconds, beforeWrite = world.secondsInCollectives
        let parts = try world.agreeing {
            let ids = Array(result.clusterIDs[share.firstRow..<(share.firstRow + ownCount)])
            guard let bytes = try share.bytesAgain(path: input),
                  let parts = columns.outputCSVParts(share.table, clusterIDs: ids, from: bytes, parser: parser) else {
                throw DedupCommand.changedInput(input)
            }
            return parts
        }
        try writeOnRanks(header: parts[0], rows: parts.dropFirst(), world)
        let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9
        inCollectives.append(world.secondsInCollectives - beforeWrite)
        let rankLines = rankTimes ? gatherLines("rank \(world.rank): " + timeLine(result, since: start, read: readSeconds, write: writeSeconds, inCollectives: inCollectives)
                                                    + String(format: "; %.2f s in collectives in all", world.secondsInCollectives), world) : []
        guard world.isRoot else { return }
        say(["rows \(share.totalRows) on \(world.size) ranks"] + summary(of: result)
            + [timeLine(result, since: start, read: readSeconds, write: writeSeconds, place: " on rank 0")] + rankLines)
    }

    /// Every rank's `line`, in rank order, on rank 0 ("rank 1: time 6.50 s (…, blocking and candidate
    /// pairs 3.46 [0.41 in collectives], …); 0.83 s in collectives in all"); none on the other ranks
    /// (a collective call).
    func gatherLines(_ line: String, _ world: any Communicator) -> [String] {
        let gathered = world.gatherConcatenated(Array((line + "\n").utf8), root: 0)
        return String(decoding: gathered, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Writes the output, `header` then every rank's `rows` in rank order (a collective call). To a
    /// file, each rank writes its own rows where they belong: rank 0 creates the temporary file
    /// (`AtomicFileWriter`) and writes the header and its rows, every other rank its rows at its
    /// offset (the header's size plus the lower ranks' sizes, an exclusive prefix sum); each syncs
    /// what it wrote, and once every rank succeeded rank 0 renames the file over `output`. On any
    /// rank's failure rank 0 removes it and every rank throws. To standard output, rank 0 gathers
    /// the rows and writes them.
    func writeOnRanks(header: [UInt8], rows: ArraySlice<[UInt8]>, _ world: any Communicator) throws {
        guard let output else {
            let gathered = world.gatherConcatenated(parts: rows, root: 0)
            return try world.agreeing { if world.isRoot { try DedupCommand.write([header, gathered], to: nil) } }
        }
        let writer = try world.agreeing { world.isRoot ? try AtomicFileWriter(destination: output) : nil }
        defer { writer?.discard() }  // nothing left on a failure; does nothing after the commit
        let temporary = world.broadcast(writer?.temporary ?? "", root: 0)
        let offset = header.count + Int(world.exclusiveScanSum(Int64(rows.reduce(0) { $0 + $1.count })))
        try world.agreeing {
            if let writer {
                for part in [header] + rows { try part.withUnsafeBytes { try writer.write($0) } }
                try writer.finish()
            } else {
                try DedupCommand.write(rows, into: temporary, at: offset, output: output)
            }
        }
        try world.agreeing { try writer?.commit() }
    }

    /// Writes `parts` end to end into the existing file `temporary` from byte `offset` and syncs
    /// them: a rank's rows of the output `output` (named in errors, with the system's reason).
    static func write(_ parts: ArraySlice<[UInt8]>, into temporary: String, at offset: Int, output: String) throws {
        let failure = { InputError("cannot write: \(String(cString: strerror(errno)))", file: output) }
        let descriptor = open(temporary, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure() }
        defer { close(descriptor) }
        var position = offset
        for part in parts {
            try part.withUnsafeBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let written = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position + done))
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure()
                    }
                    done += written
                }
            }
            position += part.count
        }
        if fsync(descriptor) != 0 && errno != EINVAL { throw failure() }  // EINVAL: a file system without fsync
    }
}
