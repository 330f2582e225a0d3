import ArgumentParser

/// `glossa lm` (not written yet).
struct LMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lm", abstract: "(not written yet)")
    func run() throws { throw ValidationError("glossa lm is not written yet") }
}
