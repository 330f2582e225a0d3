import ArgumentParser

/// `glossa tokenize` (not written yet).
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "(not written yet)")
    func run() throws { throw ValidationError("glossa tokenize is not written yet") }
}
