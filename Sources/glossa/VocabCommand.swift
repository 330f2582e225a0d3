import ArgumentParser

/// `glossa vocab` (not written yet).
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vocab", abstract: "(not written yet)")
    func run() throws { throw ValidationError("glossa vocab is not written yet") }
}
