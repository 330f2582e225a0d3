import ArgumentParser
import Foundation
import NeuralCore
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

    /// Draws `line(p)` as the progress line of `loop` at most four times a second (and at the end
    /// of each epoch), on a terminal and on rank 0 only.
    static func showProgress(of loop: TrainingLoop, _ line: @escaping (TrainingProgress) -> String) {
        guard isTerminal && loop.writesFiles else { return }
        var lastDraw = 0.0
        loop.onProgress = { p in
            let now = Date().timeIntervalSinceReferenceDate
            guard now - lastDraw >= 0.25 || p.batch == p.batches else { return }
            lastDraw = now
            progress(line(p))
        }
    }

    /// A record's epoch as evaluation lines show it: whole, or with two decimals inside an epoch.
    static func epoch(_ record: EvaluationRecord) -> String {
        record.partial == true ? String(format: "%.2f", record.epoch) : String(Int(record.epoch))
    }

    /// What `lm train` and `translate train` do when their loop has returned `stop`: rank 0 reports
    /// the time spent summing gradients and says through `say` (the command's summary channel) why
    /// the run stopped, `improving` naming the validation score. An interrupt says how to continue
    /// (`glossa COMMAND --output DIR --resume`) and ends every rank with status 130. Returns whether
    /// this process is rank 0, which then prints the rest of the summary.
    static func finish(_ loop: TrainingLoop, _ stop: TrainingState.Stop, command: String, improving: String,
                       say: (String) -> Void) throws -> Bool {
        let p = loop.state
        guard loop.writesFiles else {
            if stop == .interrupted { throw ExitCode(Interrupt.exitStatus) }
            return false
        }
        Job.reportCommunication(loop.gradientReducer, steps: p.step, seconds: p.elapsedSeconds, parameters: loop.task.store.count)
        switch stop {
        case .interrupted:
            if isTerminal { note("") }
            note("glossa: interrupted at epoch \(p.epoch), step \(p.step); the checkpoint is saved — continue with:\n"
                 + "  glossa \(command) --output \(loop.output) --resume")
            throw ExitCode(Interrupt.exitStatus)
        case .stepLimit:
            say("stopped after \(p.step) steps (--max-steps); continue with --resume --max-steps N")
        case .earlyStopped:
            say("stopped early at epoch \(p.epoch - 1): \(improving) stopped improving for \(loop.settings.patience ?? 0) epochs")
        case .finished:
            break
        }
        return true
    }
}
