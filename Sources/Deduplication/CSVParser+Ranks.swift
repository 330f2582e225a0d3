import Foundation
import MessagePassing
import Support

/// One rank's rows of a CSV file that N ranks read together (`CSVRowRanges` says how the file is cut).
public struct CSVShare: Sendable {
    /// The header and this rank's rows; `lines` are lines of the whole file.
    public var table: CSVTable
    /// The index in the whole file of this rank's first row (rows of lower ranks come first).
    public var firstRow: Int
    /// Rows in the whole file.
    public var totalRows: Int
    /// The file's bytes the table was parsed from: the header's, 0 ..< headerEnd, then this rank's
    /// rows', `rowBytes`; and the file's size then.
    var headerEnd: Int
    var rowBytes: Range<Int>
    var fileSize: Int

    /// The bytes the table was parsed from, read again from `path` (for writing the rows back where
    /// they stand as written: `DedupColumns.outputCSVParts(_:clusterIDs:from:parser:)`); nil when the
    /// file's size changed.
    public func bytesAgain(path: String) throws -> [UInt8]? {
        let file = try FileBytes(path: path)
        defer { file.close() }
        guard file.size == fileSize else { return nil }
        var bytes = try file.read(0..<headerEnd)
        try file.read(rowBytes, appendingTo: &bytes)
        return bytes
    }
}

extension CSVParser {
    /// A malformed row's advice under mpirun, where --skip-bad-rows is refused.
    public static let badRowAdviceUnderMPI = "fix the row; --skip-bad-rows works in one process only, not under mpirun"

    /// Reads this rank's share of the CSV file at `path` (first record the header), a collective
    /// call: every rank reads only the header and its own byte range (plus one byte each side). A
    /// malformed row or unreadable file on any rank throws the same `AgreedError` on every rank,
    /// with the message one process would give (the lowest failing rank holds the first bad row).
    /// `skipBadRows` is for one process only (the message says so instead of suggesting it).
    public func parseShare(contentsOf path: String, communicator: any Communicator) throws -> CSVShare {
        precondition(!skipBadRows, "skipping bad rows is for one process")
        var parser = self
        parser.badRowAdvice = CSVParser.badRowAdviceUnderMPI
        let ranks = communicator.size, rank = communicator.rank
        let (file, headerEnd, header) = try communicator.agreeing { () throws -> (FileBytes, Int, [UInt8]) in
            let file = try FileBytes(path: path)
            let headerEnd = try CSVRowRanges.headerEnd(size: file.size, file: path, parser: self, read: file.read)
            return (file, headerEnd, try file.read(0..<headerEnd))
        }
        defer { file.close() }
        // The header, then this rank's raw range widened by a byte each side (the window): one
        // buffer, read once, then cut to the header and this rank's rows, parsed as one file.
        let raw = CSVRowRanges.rawRange(rank: rank, ranks: ranks, dataStart: headerEnd, end: file.size)
        let window = max(headerEnd, raw.lowerBound - 1)..<min(file.size, raw.upperBound + 1)
        var bytes = header
        try communicator.agreeing { try file.read(window, appendingTo: &bytes) }
        // The quotes and line breaks before this rank's raw range (one pass, one prefix sum), then
        // the first row start inside it and the line breaks up to that start.
        let index = { (position: Int) in header.count + position - window.lowerBound }  // of a window byte in `bytes`
        let counted = { (range: Range<Int>) in  // file positions inside the window
            CSVRowRanges.quotesAndLineBreaks(bytes[index(range.lowerBound)..<index(range.upperBound)],
                                             next: range.upperBound < window.upperBound ? bytes[index(range.upperBound)] : nil)
        }
        let inRaw = counted(raw)
        var before = [Int64](repeating: 0, count: 2)  // quotes, line breaks
        [Int64(inRaw.quotes), Int64(inRaw.lineBreaks)].withUnsafeBufferPointer { counts in
            before.withUnsafeMutableBufferPointer { communicator.exclusiveScanSum(counts, into: $0) }
        }
        let found = rank == 0 ? headerEnd
            : CSVRowRanges.firstRowStart(in: bytes[header.count...], windowStart: window.lowerBound, range: raw, quoted: before[0] % 2 == 1)
        // The line breaks between the header and this rank's rows: before its raw range, then up to its first row.
        let breaksBefore = Int(before[1]) + (found.map { counted(raw.lowerBound..<$0).lineBreaks } ?? 0)
        let starts = communicator.allgather([Int64(found ?? -1)]).map { $0[0] < 0 ? nil : Int($0[0]) }
        let own = CSVRowRanges.ownRange(rank: rank, starts: starts, end: file.size)
        try communicator.agreeing {
            try CSVRowRanges.keep(own, of: &bytes, headerCount: header.count, window: window) { try file.read($0, appendingTo: &$1) }
        }
        let table = try communicator.agreeing { try parser.parse(bytes, headerCount: header.count, breaksBefore: breaksBefore, file: path) }
        let firstRow = Int(communicator.exclusiveScanSum(Int64(table.rows.count)))
        let totalRows = Int(communicator.allreduceSum(Int64(table.rows.count)))
        return CSVShare(table: table, firstRow: firstRow, totalRows: totalRows, headerEnd: headerEnd, rowBytes: own, fileSize: file.size)
    }

    /// Parses `bytes`, a header record (its first `headerCount` bytes) and whole rows of a file,
    /// numbering lines as in the whole file, where `breaksBefore` line breaks lie between the header
    /// and the rows.
    func parse(_ bytes: [UInt8], headerCount: Int, breaksBefore: Int, file: String) throws -> CSVTable {
        do {
            var table = try parse(bytes, file: file)
            table.lines = table.lines.map { $0 + breaksBefore }
            return table
        } catch var error as InputError where error.line != nil && error.line! > CSVRowRanges.lineBreaks(bytes[..<headerCount]) {
            error.line! += breaksBefore
            throw error
        }
    }
}

/// A file read by position (pread), for ranks that each read their own part.
final class FileBytes: @unchecked Sendable {
    let descriptor: Int32
    let size: Int
    let path: String

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputError("no such file", file: path) }
        descriptor = open(path, O_RDONLY)
        guard !isDirectory.boolValue, descriptor >= 0 else {
            if descriptor >= 0 { Foundation.close(descriptor) }
            throw InputError("cannot read the file (is it a folder, or unreadable?)", file: path)
        }
        self.path = path
        var status = stat()
        fstat(descriptor, &status)
        size = Int(status.st_size)
    }

    /// The bytes at `range` (clipped to the file).
    func read(_ range: Range<Int>) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try read(range, appendingTo: &bytes)
        return bytes
    }

    /// Appends the bytes at `range` (clipped to the file) to `bytes`: `bytes`, then the file's bytes
    /// read straight into a new array's memory (zeros written first cost about as much as the read).
    func read(_ range: Range<Int>, appendingTo bytes: inout [UInt8]) throws {
        let count = max(0, min(range.upperBound, size) - range.lowerBound)
        bytes = try [UInt8](unsafeUninitializedCapacity: bytes.count + count) { [bytes] buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: bytes)
            while initialized < buffer.count {
                let got = pread(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized,
                                off_t(range.lowerBound + initialized - bytes.count))
                guard got > 0 else { throw InputError("cannot read the file (it changed or vanished while being read)", file: path) }
                initialized += got
            }
        }
    }

    func close() { Foundation.close(descriptor) }
}
