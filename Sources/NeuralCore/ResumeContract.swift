import Foundation
import MessagePassing

/// What `--resume` may change (docs/DESIGN.md, "Resume contract"): a resumed run continues with the
/// stored settings; a setting given again must have the stored value, except these, which change
/// nothing about the arithmetic of the steps already taken. The thread count (and, issue 13, the
/// number of processes) is not a stored setting: results do not depend on it.
public enum ResumeContract {
    /// The flags whose values may differ on `--resume`.
    public static let mayChange: Set<String> = ["--epochs", "--max-steps", "--patience", "--threads"]

    /// Throws `InputError` naming the first flag (in name order) whose `requested` value differs
    /// from the `stored` one, other than those that `mayChange`. `file` is the checkpoint.
    public static func check(stored: [String: String], requested: [String: String], file: String) throws {
        for flag in requested.keys.sorted() where !mayChange.contains(flag) {
            guard let old = stored[flag], let new = requested[flag], old != new else { continue }
            throw InputError("\(flag) was \(old) in the interrupted run, not \(new): --resume keeps a run's settings (only --epochs, --max-steps, --patience and --threads may change)",
                             file: file)
        }
    }
}

/// A trainer's options: the loop's settings and the trainer's own, all nameable by flag.
public protocol TrainerOptions: Codable {
    var training: TrainingSettings { get set }
    /// Every setting as flag → value.
    var flags: [String: String] { get }
    /// The first option that makes no sense, as a message naming it, or nil.
    var problem: String? { get }
}

/// What a trainer records about its run in the checkpoint (`TrainingState.task`).
public protocol TrainingRunDescription: Codable {
    associatedtype Options: TrainerOptions
    var options: Options { get set }
}

extension TrainingCheckpoint {
    /// The state and run description a resumed run continues from, decided in this one place:
    /// `changing` receives the stored options and returns the requested ones; a setting that differs
    /// is refused, naming it (`ResumeContract`); epochs, max steps and patience are taken from the
    /// request; a run with nothing left to do under those limits is refused.
    public func resumed<Run: TrainingRunDescription>(_ type: Run.Type, output: String,
                                                     changing: (Run.Options) -> Run.Options) throws -> (state: TrainingState, run: Run) {
        let file = output + "/" + TrainingCheckpoint.fileName
        let state = self.state
        var run = try state.decodeTask(Run.self, file: file)
        let requested = changing(run.options)
        try ResumeContract.check(stored: run.options.flags, requested: requested.flags, file: file)
        let storedPatience = run.options.training.patience
        run.options.training.epochs = requested.training.epochs
        run.options.training.maxSteps = requested.training.maxSteps
        run.options.training.patience = requested.training.patience
        if let problem = run.options.problem { throw InputError(problem) }
        let s = run.options.training
        switch state.stop {
        case .finished? where state.epoch > s.epochs:
            throw InputError("training already finished its \(s.epochs) epochs; pass a larger --epochs to train on", file: output)
        case .earlyStopped? where requested.training.patience == storedPatience:
            throw InputError("training stopped early (validation stopped improving); pass a larger --patience to train on", file: output)
        case .stepLimit? where s.maxSteps.map({ state.step >= $0 }) ?? false:
            throw InputError("training already ran its \(s.maxSteps!) steps; pass a larger --max-steps to train on", file: output)
        default:
            break
        }
        return (state, run)
    }
}

extension TrainingLoop {
    /// Creates the output folder `path` if needed and locks it for the run (`FolderLock`) on rank 0;
    /// nil on the other ranks.
    public static func lockOutput(_ path: String, communicator: any Communicator) throws -> FolderLock? {
        guard communicator.isRoot else { return nil }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw InputError("exists and is not a folder", file: path) }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw InputError("cannot create the output folder", file: path)
            }
        }
        return try FolderLock(folder: path)
    }

    /// The output folder of a new run: locked by rank 0 (`lockOutput`), refused on every rank when
    /// it already holds a run or a model.
    public static func claimNewRun(_ path: String, communicator: any Communicator) throws -> FolderLock? {
        let lock = try lockOutput(path, communicator: communicator)
        if TrainingCheckpoint.exists(in: path) || FileManager.default.fileExists(atPath: path + "/model.safetensors") {
            throw InputError("already holds a training run; continue it with --resume, or choose another --output", file: path)
        }
        return lock
    }
}
