import Deduplication
import Foundation
import MessagePassing
import Support

/// `mpirun -np N glossa dedup FILE …`: every rank reads and normalizes its own rows, the ranks
/// deduplicate together (`Deduplicator.run(rows:fields:communicator:)`), and rank 0 writes the
/// output once: every input row and column in input order plus `cluster_id`, the same file one
/// process writes. A failure any rank meets is reported once and every rank exits non-zero.
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
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // As in one process, the deduplicator gets the only copy of the rows; the share's bytes are
        // read again for the output.
        let ownRows = share.table.rows, ownCount = ownRows.count
        share.table.rows = CSVRows()
        let result = deduplicator.run(rows: consume ownRows, fields: columns.fields, communicator: world)

        // Each rank's rows as CSV, copied from the file's bytes where they stand as written (as in
        // one process: `DedupCommand.outputParts`), gathered to rank 0 alone, which writes them
        // after the header (temporary + rename).
        let writeStart = DispatchTime.now().uptimeNanoseconds
        let parts = try world.agreeing {
            let ids = Array(result.clusterIDs[share.firstRow..<(share.firstRow + ownCount)])
            guard let bytes = try share.bytesAgain(path: input),
                  let parts = columns.outputCSVParts(share.table, clusterIDs: ids, from: bytes, parser: parser) else {
                throw DedupCommand.changedInput(input)
            }
            return parts
        }
        let rows = world.gatherConcatenated(parts: parts.dropFirst(), root: 0)  // parts[0] is the header
        try world.agreeing {
            guard world.isRoot else { return }
            // Header, then the gathered rows as they are: no joined copy of the whole output (at 10M
            // rows two copies of ≈ 0.9 GB were rank 0's peak).
            try DedupCommand.write([parts[0], rows], to: output)
        }
        guard world.isRoot else { return }
        let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9
        say(["rows \(share.totalRows) on \(world.size) ranks"] + summary(of: result)
            + [timeLine(result, since: start, read: readSeconds, write: writeSeconds, place: " on rank 0")])
    }
}
