import ArgumentParser
import Foundation
import Support

/// Standard error: the one place commands write what is not their output — notes and warnings
/// (one line each), progress lines (redrawn in place, only on a terminal) and how to continue an
/// interrupted run. Errors are thrown, never printed: `ValidationError` for a wrong argument
/// (printed with the usage, status 64), `InputError` for a wrong file or data (one line naming the
/// file and line, status 1); `Job.exit` prints them and ends the process.
enum Terminal {
    /// Whether standard error is a terminal (progress lines only then).
    static let isTerminal = isatty(2) == 1

    /// Writes `text` to standard error as it is.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// One line on standard error.
    static func note(_ line: String) { write(line + "\n") }

    /// "glossa: warning: …" on standard error.
    static func warning(_ text: String) { note("glossa: warning: " + text) }

    /// Redraws the progress line in place; nil clears it. Nothing unless standard error is a terminal.
    static func progress(_ line: String?) {
        if isTerminal { write("\r\u{1B}[K" + (line ?? "")) }
    }

    /// "1h02m", "4m05s", "12s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    /// Says where a run was interrupted and how to continue it; the exit status to throw (130).
    static func interrupted(at position: String, resume command: String) -> ExitCode {
        note("glossa: interrupted at \(position); the checkpoint is saved — continue with:\n  \(command)")
        return ExitCode(Interrupt.exitStatus)
    }
}
