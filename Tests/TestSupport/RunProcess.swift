import Foundation
import XCTest

/// A finished process: exit status, stdout, stderr.
public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// A pipe's bytes, written by one reader thread and read after the group is done.
private final class Collected: @unchecked Sendable {
    var data = Data()
}

/// Runs `executable arguments` with `input` on its standard input (none: the null device) and waits
/// at most `timeout` seconds (then kills it and fails). `environment` entries are added to this
/// process's environment.
public func runProcess(_ executable: String, _ arguments: [String], input: Data? = nil, environment: [String: String] = [:],
                       timeout: Double = 120, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe(), errors = Pipe(), standardInput = input.map { _ in Pipe() }
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = standardInput ?? FileHandle.nullDevice
    try process.run()
    if let input, let standardInput {
        DispatchQueue.global().async {
            standardInput.fileHandleForWriting.write(input)
            try? standardInput.fileHandleForWriting.close()
        }
    }
    let outData = Collected(), errData = Collected()
    let group = DispatchGroup()
    group.enter(); DispatchQueue.global().async { outData.data = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter(); DispatchQueue.global().async { errData.data = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        group.wait()
        XCTFail("\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout) s", file: file, line: line)
    }
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                         stderr: String(decoding: errData.data, as: UTF8.self))
}
