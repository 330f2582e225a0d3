import ArgumentParser

/// `glossa translate` (not written yet).
struct TranslateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "translate", abstract: "(not written yet)")
    func run() throws { throw ValidationError("glossa translate is not written yet") }
}
