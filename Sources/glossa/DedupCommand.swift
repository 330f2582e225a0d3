import ArgumentParser

/// `glossa dedup` (not written yet).
struct DedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dedup", abstract: "(not written yet)")
    func run() throws { throw ValidationError("glossa dedup is not written yet") }
}
