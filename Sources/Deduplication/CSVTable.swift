/// A table read from a CSV file or a list of lines: a header and rows of equal width.
public struct CSVTable: Sendable, Equatable {
    /// Column names, in file order.
    public var header: [String]
    /// Rows, each with `header.count` fields, stored flat.
    public var rows: CSVRows
    /// The 1-based line of the file where each row starts (for messages).
    public var lines: [Int]
    /// Rows that were malformed and skipped (only with `skipBadRows`), with their messages.
    public var skipped: [InputErrorLine]
    /// The delimiter the file used (`,` for line lists).
    public var delimiter: UInt8
    /// Where each row's record starts in the bytes it was parsed from, (R), for writing it back
    /// without parsing it again (`csvParts(from:…)`): the position when the record stands there as
    /// `csvBytes` writes it (no field quoted, padded with spaces or ending in one), else its bitwise
    /// NOT (< 0). Empty for tables not parsed from CSV bytes.
    public var recordStarts: [Int] = []

    public init(header: [String], rows: [[String]], lines: [Int]? = nil, skipped: [InputErrorLine] = [], delimiter: UInt8 = 0x2C) {
        self.init(header: header, rows: CSVRows(rows), lines: lines, skipped: skipped, delimiter: delimiter)
    }

    public init(header: [String], rows: CSVRows, lines: [Int]? = nil, skipped: [InputErrorLine] = [], delimiter: UInt8 = 0x2C) {
        self.header = header
        self.rows = rows
        self.lines = lines ?? rows.indices.map { $0 + 2 }
        self.skipped = skipped
        self.delimiter = delimiter
    }

    /// The index of the column named `name` (exact match first, then ignoring case and spaces).
    public func column(named name: String) -> Int? {
        if let exact = header.firstIndex(of: name) { return exact }
        let wanted = CSVTable.comparable(name)
        return header.firstIndex { CSVTable.comparable($0) == wanted }
    }

    static func comparable(_ name: String) -> String {
        String(name.lowercased().filter { !$0.isWhitespace })
    }
}

/// A malformed line that was skipped: where it was and what was wrong.
public struct InputErrorLine: Sendable, Equatable {
    public var line: Int
    public var message: String
}
