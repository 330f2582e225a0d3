import Foundation

/// Which columns of a table a deduplication compares, which holds ground truth, and where the
/// answer goes: a `cluster_id` column appended, or the input's own `cluster_id` column replaced
/// (so running on an earlier output gives one fresh `cluster_id`, never two). A `cluster_id`
/// column is never compared.
public struct DedupColumns: Sendable, Equatable {
    /// The output column's name.
    public static let clusterID = "cluster_id"
    /// The compared columns.
    public let fields: [Int]
    /// The ground-truth column, if any.
    public let labels: Int?
    /// The input's own `cluster_id` column, replaced in the output; nil when one is appended.
    public let replaced: Int?

    /// Resolves `fields` (comma-separated names; nil: every column but `labels` and `cluster_id`)
    /// and `labels` against `table`'s header. Throws an `InputError` naming `file` when a name is
    /// unknown or nothing is left to compare.
    public init(table: CSVTable, fields: String?, labels: String?, file: String) throws {
        func column(_ name: String) throws -> Int {
            guard let column = table.column(named: name) else {
                throw InputError("no column named \"\(name)\"; the columns are: \(table.header.joined(separator: ", "))", file: file, line: 1)
            }
            return column
        }
        let labelColumn = try labels.map(column)
        let existing = table.header.firstIndex { CSVTable.comparable($0) == DedupColumns.clusterID }
        var chosen: [Int]
        if let fields {
            chosen = try fields.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(column)
            if let existing, chosen.contains(existing) {
                throw InputError("\(DedupColumns.clusterID) is the column dedup writes and cannot be compared; leave it out of --fields", file: file, line: 1)
            }
            if chosen.isEmpty {
                throw InputError("--fields \"\(fields)\" names no column; give comma-separated names from: \(table.header.joined(separator: ", "))", file: file)
            }
        } else {
            chosen = table.header.indices.filter { $0 != labelColumn && $0 != existing }
            if chosen.isEmpty {
                throw InputError("no column to compare (the only columns are \(table.header.joined(separator: ", "))); add the address columns", file: file, line: 1)
            }
        }
        self.fields = chosen
        self.labels = labelColumn
        replaced = existing
    }

    /// `table` as CSV with row r's cluster id `clusterIDs[r]` in the `cluster_id` column (replaced or
    /// appended), written field by field from the flat rows. Without `withHeader`, the rows only.
    public func outputCSV(_ table: CSVTable, clusterIDs: [Int], withHeader: Bool = true) -> [UInt8] {
        table.csvBytes(header: outputHeader(table), delimiter: table.delimiter, withHeader: withHeader, column: column(table, clusterIDs))
    }

    /// `outputCSV` as parts to write end to end (`CSVTable.csvParts`: the rows' lines on all cores).
    public func outputCSVParts(_ table: CSVTable, clusterIDs: [Int]) -> [[UInt8]] {
        table.csvParts(header: outputHeader(table), delimiter: table.delimiter, withHeader: true, column: column(table, clusterIDs))
    }

    /// `outputCSVParts` for a table whose rows were let go, from `bytes`, the file's bytes that
    /// `parser` parsed it from (`CSVTable.csvParts(from:…)`); nil when they no longer hold its records.
    public func outputCSVParts(_ table: CSVTable, clusterIDs: [Int], from bytes: [UInt8], parser: CSVParser) -> [[UInt8]]? {
        table.csvParts(from: bytes, parser: parser, header: outputHeader(table), column: column(table, clusterIDs))
    }

    /// The output's header: the input's, with `cluster_id` replaced or appended.
    func outputHeader(_ table: CSVTable) -> [String] {
        var header = table.header
        if let replaced { header[replaced] = DedupColumns.clusterID } else { header.append(DedupColumns.clusterID) }
        return header
    }

    /// The `cluster_id` column's index and each row's text.
    func column(_ table: CSVTable, _ clusterIDs: [Int]) -> (index: Int, text: (Int) -> String) {
        (replaced ?? table.header.count, { String(clusterIDs[$0]) })
    }
}
