import Foundation

/// The byte ranges of the lines of `data` (without their `\n`), found once so that a benchmark times
/// only the work on them.
func lineSpans(of data: Data) -> [Range<Int>] {
    var spans: [Range<Int>] = []
    data.withUnsafeBytes { raw in
        var start = 0
        for j in 0..<raw.count where raw[j] == 0x0A {
            spans.append(start..<j)
            start = j + 1
        }
        if start < raw.count { spans.append(start..<raw.count) }
    }
    return spans
}
