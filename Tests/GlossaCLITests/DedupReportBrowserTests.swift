import Foundation
import TestSupport
import XCTest

/// Opens a `glossa dedup --report` page in a real browser (Debian's chromium, headless): the page's
/// own self-test (`?selftest`) checks its sections and that the search box filters the rows, and
/// writes PASS or FAIL into the DOM, which `--dump-dom` prints. Skips when chromium is absent
/// (`make test` installs it).
final class DedupReportBrowserTests: XCTestCase {
    func chromium() throws -> String {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw XCTSkip("no chromium: install Debian's chromium (make browser-packages) to run the report's browser test")
    }

    /// Runs `browser` with `arguments`; its standard output.
    func browse(_ browser: String, _ arguments: [String], home: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(home)/profile"] + arguments
        process.environment = ["HOME": home, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testTheReportPassesItsSelfTestInChromium() throws {
        let browser = try chromium()
        let folder = try TemporaryFolder("dedup-report")
        defer { folder.remove() }
        var csv = "name,street,city,zip\n"
        let people = [("anna smith", "12 oak street", "dover", "10001"), ("ben okafor", "7 river road", "kent", "20002"),
                      ("carla moreau", "99 hill avenue", "salem", "30003"), ("dmitri lindqvist", "5 bay drive", "troy", "40004")]
        for (name, street, city, zip) in people {
            csv += "\(name),\(street),\(city),\(zip)\n\(name.uppercased()),\(street.replacingOccurrences(of: "street", with: "st")),\(city),\(zip)\n"
            csv += "\(name.replacingOccurrences(of: "a", with: "e")),\(street),\(city),\(zip)\n"
        }
        let input = folder.path + "/people.csv", page = folder.path + "/report.html"
        try csv.write(toFile: input, atomically: true, encoding: .utf8)
        let run = try runGlossa(["dedup", input, "--output", folder.path + "/out.csv", "--report", page])
        XCTAssertEqual(run.status, 0, run.stderr)
        let dom = try browse(browser, ["--dump-dom", "file://\(page)?selftest"], home: folder.path)
        XCTAssertTrue(dom.contains("<div id=\"selftest\">PASS</div>"), dom.components(separatedBy: "id=\"selftest\"").last.map { String($0.prefix(300)) } ?? dom)
        _ = try browse(browser, ["--hide-scrollbars", "--window-size=1200,1600", "--screenshot=\(folder.path)/report.png", "file://\(page)"], home: folder.path)
        let png = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/report.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG screenshot")
    }
}
