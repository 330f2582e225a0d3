import Foundation
import Support

/// The alignment matrices of translated sentences as one SVG (`glossa translate --attention`): for
/// each sentence, source tokens across, target tokens down, darker cells for larger weights a_tj.
public enum AttentionPicture {
    public static func svg(_ sentences: [(source: [String], target: [String], alignment: [[Float]])]) -> String {
        let cell = 22.0, labelWidth = 110.0, labelHeight = 90.0, gap = 30.0
        var y = 10.0, width = 200.0, body = ""
        for sentence in sentences {
            let columns = sentence.source.count, rows = sentence.target.count
            let x0 = labelWidth, y0 = y + labelHeight
            for (j, token) in sentence.source.enumerated() {
                let x = x0 + Double(j) * cell + cell / 2
                body += String(format: "<text transform=\"translate(%.1f,%.1f) rotate(-60)\" font-size=\"12\">%@</text>", x, y0 - 4, token.xmlEscaped)
            }
            for (t, token) in sentence.target.enumerated() {
                body += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%@</text>", x0 - 6, y0 + Double(t) * cell + cell * 0.7, token.xmlEscaped)
                let row = t < sentence.alignment.count ? sentence.alignment[t] : []
                for j in 0..<columns {
                    let w = j < row.count ? Double(row[j]) : 0
                    let shade = Int((1 - w) * 255)
                    body += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"rgb(%d,%d,%d)\" stroke=\"#ddd\"><title>%.3f</title></rect>",
                                   x0 + Double(j) * cell, y0 + Double(t) * cell, cell, cell, shade, shade, shade, w)
                }
            }
            width = max(width, x0 + Double(columns) * cell + 20)
            y = y0 + Double(rows) * cell + gap
        }
        return String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\">", width, y)
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>" + body + "</svg>\n"
    }
}
