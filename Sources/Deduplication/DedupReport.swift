import Foundation

/// `glossa dedup --report`: one self-contained HTML page (inline CSS, SVG and script, nothing
/// fetched) with the run's summary, a histogram of cluster sizes, the distribution of pair
/// log-odds with the threshold marked, the learned weight of every field's agreement levels, and
/// the sampled clusters (`ReportSample`) with their rows side by side, the characters that differ
/// from the group's first row highlighted, and each scored pair's per-field explanation. A search
/// box filters the rows shown. Opened with `?selftest`, the page checks its own sections and the
/// search and writes PASS or FAIL into `#selftest` (the browser test reads it).
public enum DedupReport {
    /// The page for `result` (which must carry a `report` sample) of `table` deduplicated on `fields`.
    public static func html(_ result: DedupResult, table: CSVTable, fields: [Int], title: String, summary: [String]) -> String {
        let sample = result.report ?? ReportSample(histogramLower: 0, histogramWidth: 1, histogram: [], thresholdLogOdds: 0, levelWeights: [], groups: [])
        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(title))</title>\n<style>\(style)</style></head><body>\n"
        page += "<h1>glossa dedup: \(escape(title))</h1>\n"
        page += "<section id=\"summary\"><h2>Summary</h2><ul>" + summary.map { "<li>\(escape($0))</li>" }.joined() + "</ul></section>\n"
        page += "<section id=\"sizes\"><h2>Cluster sizes</h2>\(sizeChart(result))</section>\n"
        page += "<section id=\"weights\"><h2>Match weights of the scored pairs</h2>\(weightChart(sample))"
        page += "<p>Log-odds of every scored pair (log P(match) − log P(non-match)); pairs right of the red line (posterior &gt; \(result.threshold)) are matches.</p></section>\n"
        page += "<section id=\"levels\"><h2>Learned weights per field and level</h2>\(levelChart(sample))"
        page += "<p>log(m/u) for each agreement level (0 exact, then similarity ≥ 0.92, ≥ 0.84, ≥ 0.70, lower), fitted by EM without labels.</p></section>\n"
        page += "<section id=\"clusters\"><h2>Clusters</h2><p><input id=\"search\" type=\"search\" placeholder=\"Search the rows shown…\" size=\"40\"> "
        page += "<span id=\"shown\"></span></p>\n"
        for (index, group) in sample.groups.enumerated() { page += groupHTML(group, index: index, table: table, fields: fields) }
        page += "</section>\n<div id=\"selftest\"></div>\n<script>\(script)</script>\n</body></html>\n"
        return page
    }

    static func groupHTML(_ group: ReportSample.Group, index: Int, table: CSVTable, fields: [Int]) -> String {
        let ids = group.clusters.map(String.init).joined(separator: " and ")
        let kind = group.kind == "doubtful" ? "most doubtful" : group.kind
        var html = "<div class=\"group \(group.kind)\" id=\"group\(index)\"><h3>\(kind): cluster \(ids) (\(group.size) rows"
        html += group.rows.count < group.size ? ", \(group.rows.count) shown" : ""
        html += ")</h3><table><tr><th>line</th><th>cluster</th>" + fields.map { "<th>\(escape(table.header[$0]))</th>" }.joined() + "</tr>\n"
        let first = group.rows.first.map { row in fields.map { table.rows[row][$0] } } ?? []
        for row in group.rows {
            html += "<tr class=\"row\"><td>\(table.lines[row])</td><td>\(clusterOf(row, group))</td>"
            for (f, column) in fields.enumerated() { html += "<td>\(highlighted(table.rows[row][column], against: first[f]))</td>" }
            html += "</tr>\n"
        }
        html += "</table>\n"
        for pair in group.pairs {
            html += "<details class=\"pair\"><summary>lines \(table.lines[pair.rows.0]) and \(table.lines[pair.rows.1]): log-odds "
            html += String(format: "%+.2f", pair.logOdds) + " → \(pair.sameEntity ? "same entity" : "different")</summary><table>"
            html += "<tr><th>field</th><th>left</th><th>right</th><th>similarity</th><th>weight</th></tr>"
            for field in pair.fields {
                let similarity = field.similarity.map { String(format: "%.3f", $0) } ?? "missing"
                html += "<tr><td>\(escape(field.name))</td><td>\(escape(String(field.left.prefix(120))))</td><td>\(escape(String(field.right.prefix(120))))</td>"
                html += "<td>\(similarity)</td><td class=\"\(field.weight >= 0 ? "pos" : "neg")\">" + String(format: "%+.2f", field.weight) + "</td></tr>"
            }
            if pair.termFrequency != 0 {
                html += "<tr><td>term frequencies</td><td colspan=\"3\">common values agreed on</td><td class=\"neg\">" + String(format: "%+.2f", pair.termFrequency) + "</td></tr>"
            }
            html += "</table></details>\n"
        }
        return html + "</div>\n"
    }

    /// The cluster of `row` within `group` (the group's rows come from its clusters in input order).
    static func clusterOf(_ row: Int, _ group: ReportSample.Group) -> String {
        group.clusters.count == 1 ? String(group.clusters[0]) : group.clusters.map(String.init).joined(separator: "/")
    }

    /// `text` escaped, with the span that differs from `reference` (after their common prefix and
    /// suffix) marked.
    static func highlighted(_ text: String, against reference: String) -> String {
        let a = Array(text), b = Array(reference)
        if a == b { return escape(text) }
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let middle = String(a[prefix..<(a.count - suffix)])
        return escape(String(a[..<prefix])) + (middle.isEmpty ? "<mark class=\"gap\"></mark>" : "<mark>\(escape(middle))</mark>")
            + escape(String(a[(a.count - suffix)...]))
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Vertical bars with labels under them, as inline SVG (values ≥ 0; `marker` draws a red line at that x).
    /// `axis` (default `labels`) are written under the bars, `labels` in their tooltips.
    static func bars(_ values: [Double], labels: [String], axis: [String]? = nil, marker: Double? = nil, log: Bool = false, colors: [String]? = nil) -> String {
        let width = 720.0, height = 200.0, left = 40.0, bottom = 30.0
        let scaled = values.map { log ? Foundation.log10(1 + max(0, $0)) : $0 }
        let top = max(1e-9, scaled.max() ?? 1)
        let step = (width - left) / Double(max(1, values.count))
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\">"
        for (i, v) in scaled.enumerated() {
            let h = (height - bottom - 10) * v / top
            let x = left + Double(i) * step
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%@\"><title>%@: %@</title></rect>",
                          x + 1, height - bottom - h, max(1, step - 2), h, colors?[i] ?? "#4a7ab5", escape(labels[i]), formatted(values[i]))
            if let axis, !axis[i].isEmpty {
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%@</text>", x, height - bottom + 14, escape(axis[i]))
            } else if axis == nil && (values.count <= 20 || i % (values.count / 10) == 0) {
                svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%@</text>", x + step / 2, height - bottom + 14, escape(labels[i]))
            }
        }
        if let marker {
            let x = left + marker * step
            svg += String(format: "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" stroke-width=\"2\"/>", x, x, height - bottom)
        }
        svg += "<text x=\"2\" y=\"12\" font-size=\"10\">\(log ? "log scale" : "")</text></svg>"
        return svg
    }

    static func formatted(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.2f", value) }

    static func sizeChart(_ result: DedupResult) -> String {
        var counts = [Double](repeating: 0, count: 11)
        var sizes = [Int](repeating: 0, count: result.clusters)
        for id in result.clusterIDs { sizes[id] += 1 }
        for size in sizes { counts[min(11, size) - 1] += 1 }
        let labels = (1...10).map(String.init) + ["> 10"]
        return bars(counts, labels: labels, log: true) + "<p>Clusters by number of rows (bar heights on a log scale; hover for counts).</p>"
    }

    static func weightChart(_ sample: ReportSample) -> String {
        let labels = sample.histogram.indices.map { String(format: "%.0f", sample.histogramLower + Double($0) * sample.histogramWidth) }
        let marker = (sample.thresholdLogOdds - sample.histogramLower) / sample.histogramWidth
        return bars(sample.histogram.map(Double.init), labels: labels, marker: marker, log: true)
    }

    static func levelChart(_ sample: ReportSample) -> String {
        var values: [Double] = [], labels: [String] = [], axis: [String] = [], colors: [String] = []
        for (field, weights) in sample.levelWeights {
            for (level, w) in weights.enumerated() {
                values.append(abs(w))
                labels.append("\(field) level \(level)")
                axis.append(level == 0 ? String(field.prefix(weights.count * 2)) : "")
                colors.append(w >= 0 ? "#3a9a5b" : "#c0504d")
            }
        }
        var table = "<table class=\"levels\"><tr><th>field</th>" + (0..<(sample.levelWeights.first?.weights.count ?? 0)).map { "<th>level \($0)</th>" }.joined() + "</tr>"
        for (field, weights) in sample.levelWeights {
            table += "<tr><td>\(escape(field))</td>" + weights.map { "<td class=\"\($0 >= 0 ? "pos" : "neg")\">" + String(format: "%+.2f", $0) + "</td>" }.joined() + "</tr>"
        }
        return bars(values, labels: labels, axis: axis, colors: colors) + "<p>Bar height |log(m/u)|: green for evidence for a match, red against.</p>" + table + "</table>"
    }

    static let style = """
    body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd}
    h3{font-size:14px;margin:18px 0 4px}table{border-collapse:collapse;margin:4px 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
    th{background:#f4f4f4}mark{background:#ffd54f}mark.gap{padding:0 2px;background:#f08080}.pos{color:#1b7a3a}.neg{color:#b0302c}
    .group{border-left:4px solid #4a7ab5;padding-left:8px;margin:12px 0}.group.doubtful{border-color:#e0a030}.group.random{border-color:#999}
    details.pair{margin:2px 0 2px 12px}.hidden{display:none}#selftest{font-weight:bold}
    """

    static let script = """
    (function(){
    var box=document.getElementById('search'),shown=document.getElementById('shown');
    function filter(){var q=box.value.toLowerCase(),n=0;
     document.querySelectorAll('.group').forEach(function(g){var any=false;
      g.querySelectorAll('tr.row').forEach(function(r){var hit=!q||r.textContent.toLowerCase().indexOf(q)>=0;r.classList.toggle('hidden',!hit);if(hit){any=true;n++;}});
      g.classList.toggle('hidden',!any);});
     shown.textContent=n+' rows shown';}
    box.addEventListener('input',filter);filter();
    if(location.search.indexOf('selftest')<0)return;
    var fails=[];
    ['summary','sizes','weights','levels','clusters','search'].forEach(function(id){if(!document.getElementById(id))fails.push('missing #'+id);});
    if(!document.querySelector('#weights svg line'))fails.push('no threshold line');
    var rows=document.querySelectorAll('tr.row');
    if(rows.length<2)fails.push('fewer than 2 rows shown');
    else{var cells=rows[rows.length-1].querySelectorAll('td'),first=rows[0].textContent.toLowerCase(),word='',narrowing=false;
     for(var i=2;i<cells.length;i++){var t=cells[i].textContent.trim();if(t&&!word)word=t;if(t&&first.indexOf(t.toLowerCase())<0){word=t;narrowing=true;break;}}
     if(!word)word=cells[0].textContent.trim();
     box.value=word;filter();
     var visible=0,wrong=0;rows.forEach(function(r){if(!r.classList.contains('hidden')){visible++;if(r.textContent.toLowerCase().indexOf(word.toLowerCase())<0)wrong++;}});
     if(visible<1)fails.push('search for "'+word+'" shows nothing');
     if(wrong>0)fails.push('search shows '+wrong+' rows without "'+word+'"');
     if(narrowing&&visible>=rows.length)fails.push('search filters nothing');
     box.value='';filter();
     var all=0;rows.forEach(function(r){if(!r.classList.contains('hidden'))all++;});
     if(all!=rows.length)fails.push('clearing the search does not show every row');}
    document.getElementById('selftest').textContent=fails.length?'FAIL: '+fails.join('; '):'PASS';
    })();
    """
}
