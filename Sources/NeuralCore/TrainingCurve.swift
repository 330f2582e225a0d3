import Foundation
import Support

/// The learning curve as an SVG picture: training and validation perplexity (log scale) against
/// epochs, one point per validation record. Self-contained (no scripts, no fonts beyond sans-serif).
public enum TrainingCurve {
    /// The file every trainer writes it to.
    public static let fileName = "training-curve.svg"

    /// The SVG text for the "valid" records (train perplexity from the same records).
    public static func svg(_ records: [EvaluationRecord], title: String = "Training curve") -> String {
        let points = records.filter { $0.split != .test && $0.perplexity.isFinite }
        let train = points.compactMap { r in r.trainPerplexity.flatMap { $0.isFinite ? (r.epoch, $0) : nil } }
        let valid = points.filter { $0.split == .valid }.map { ($0.epoch, $0.perplexity) }
        let test = records.last { $0.split == .test && $0.perplexity.isFinite }

        let width = 640.0, height = 400.0
        let left = 64.0, right = 20.0, top = 40.0, bottom = 48.0
        let plotW = width - left - right, plotH = height - top - bottom
        let xs = (train + valid).map(\.0)
        let ys = (train + valid).map(\.1) + (test.map { [$0.perplexity] } ?? [])
        let xMax = max(xs.max() ?? 1, 1)
        var yLo = log10(max(ys.min() ?? 1, 1e-3)), yHi = log10(max(ys.max() ?? 10, 1e-3))
        if yHi - yLo < 0.1 { yLo -= 0.05; yHi += 0.05 }
        let pad = (yHi - yLo) * 0.05
        yLo -= pad; yHi += pad
        func px(_ x: Double) -> Double { left + x / xMax * plotW }
        func py(_ y: Double) -> Double { top + (yHi - log10(max(y, 1e-3))) / (yHi - yLo) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="15">\(title.xmlEscaped)</text>
        <rect x="\(f(left))" y="\(f(top))" width="\(f(plotW))" height="\(f(plotH))" fill="none" stroke="#888"/>

        """
        // y ticks: 1, 2, 5 × powers of ten inside the range (more within a single decade).
        let multiples = yHi - yLo < 1 ? [1.0, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0] : [1.0, 2.0, 5.0]
        for exponent in Int(floor(yLo))...Int(ceil(yHi)) {
            for m in multiples {
                let v = m * pow(10, Double(exponent))
                let l = log10(v)
                guard l >= yLo && l <= yHi else { continue }
                let y = py(v)
                s += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
                s += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(String(format: "%g", v))</text>\n"
            }
        }
        // x ticks: whole epochs, at most ~13 labels.
        let every = max(1, Int(ceil(xMax / 13)))
        for e in stride(from: 0, through: Int(ceil(xMax)), by: every) where Double(e) <= xMax {
            let x = px(Double(e))
            s += "<line x1=\"\(f(x))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#888\"/>"
            s += "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\">\(e)</text>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">epoch</text>\n"
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">perplexity (log scale)</text>\n"
        for (series, color, name) in [(train, "#1f77b4", "train"), (valid, "#d62728", "validation")] where !series.isEmpty {
            let path = series.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            s += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            for p in series { s += "<circle cx=\"\(f(px(p.0)))\" cy=\"\(f(py(p.1)))\" r=\"3\" fill=\"\(color)\"><title>\(name) \(String(format: "%.2f", p.1)) at epoch \(String(format: "%.2f", p.0))</title></circle>\n" }
        }
        var legend = [("train", "#1f77b4", train.last?.1), ("validation", "#d62728", valid.last?.1)]
        if let test { legend.append(("test (best model)", "#2ca02c", test.perplexity)) }
        for (i, (name, color, last)) in legend.enumerated() {
            let y = top + 16 + Double(i) * 16
            s += "<rect x=\"\(f(left + plotW - 190))\" y=\"\(f(y - 9))\" width=\"12\" height=\"3\" fill=\"\(color)\"/>"
            s += "<text x=\"\(f(left + plotW - 172))\" y=\"\(f(y - 4))\">\(name)\(last.map { String(format: " %.2f", $0) } ?? "")</text>\n"
        }
        if let test {
            s += "<line x1=\"\(f(left))\" y1=\"\(f(py(test.perplexity)))\" x2=\"\(f(left + plotW))\" y2=\"\(f(py(test.perplexity)))\" stroke=\"#2ca02c\" stroke-dasharray=\"4 3\"/>\n"
        }
        return s + "</svg>\n"
    }

}
