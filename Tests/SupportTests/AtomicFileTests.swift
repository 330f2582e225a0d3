import Foundation
import Support
import TestSupport
import XCTest

final class AtomicFileTests: XCTestCase {
    func testWritesWholeFileAndLeavesNoTemporary() throws {
        let folder = try TemporaryFolder("atomic")
        defer { folder.remove() }
        try AtomicFile.write("first\n", to: folder.path + "/out.txt")
        try AtomicFile.write("second\n", to: folder.path + "/out.txt")
        XCTAssertEqual(try String(contentsOfFile: folder.path + "/out.txt", encoding: .utf8), "second\n")
        XCTAssertEqual(try folder.names(), ["out.txt"])
        XCTAssertEqual(Interrupt.registeredCount, 0)
        XCTAssertThrowsError(try AtomicFile.write("x", to: folder.path + "/missing/out.txt")) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try AtomicFile.write("x", to: folder.path)) { error in
            XCTAssertTrue("\(error)".contains("it is a folder"), "\(error)")
        }
    }

    func testTemporaryHasGlossaNameInTheDestinationFolderAndIsRegisteredUntilCommit() throws {
        let folder = try TemporaryFolder("atomic-writer")
        defer { folder.remove() }
        let before = Interrupt.registeredCount
        let writer = try AtomicFileWriter(destination: folder.path + "/model.safetensors")
        XCTAssertTrue(writer.temporary.hasPrefix(folder.path + "/.model.safetensors.glossa-tmp-\(getpid())-"), writer.temporary)
        XCTAssertEqual(Interrupt.registeredCount, before + 1)
        try writer.write(Data("abc".utf8))
        XCTAssertEqual(try folder.names().count, 1)
        try writer.commit()
        XCTAssertEqual(Interrupt.registeredCount, before)
        XCTAssertEqual(try folder.names(), ["model.safetensors"])

        let dropped = try AtomicFileWriter(destination: folder.path + "/other.txt")
        try dropped.write(Data("x".utf8))
        dropped.discard()
        XCTAssertEqual(try folder.names(), ["model.safetensors"])
        XCTAssertEqual(Interrupt.registeredCount, before)
    }

    /// Item 7: a temporary left by a killed process is removed by the next write into its folder;
    /// one of a live process and files that only look similar are kept.
    func testStaleTemporariesOfDeadProcessesAreRemoved() throws {
        let folder = try TemporaryFolder("atomic-stale")
        defer { folder.remove() }
        let dead = try deadPID()
        let live = getppid()
        let names = [".model.safetensors.glossa-tmp-\(dead)-3", ".vocab.txt.glossa-tmp-\(live)-1",
                     "notes.glossa-tmp-\(dead)-1", ".x.glossa-tmp-\(dead)"]
        for name in names { XCTAssertTrue(FileManager.default.createFile(atPath: folder.path + "/" + name, contents: Data(count: 10))) }
        try AtomicFile.write("new\n", to: folder.path + "/out.txt")
        XCTAssertEqual(try folder.names(), [".vocab.txt.glossa-tmp-\(live)-1", ".x.glossa-tmp-\(dead)", "notes.glossa-tmp-\(dead)-1", "out.txt"])
    }

    /// Item 6: a full disk is reported as such (not "folder is not writable"), with the path, and
    /// leaves the old file and no temporary.
    func testFullDiskReportsNoSpaceWithThePath() throws {
        let disk = try SmallDisk(kilobytes: 64)
        defer { disk.unmount() }
        let path = disk.path + "/model.safetensors"
        try AtomicFile.write("old\n", to: path)
        XCTAssertThrowsError(try AtomicFile.write(Data(count: 1 << 20), to: path)) { error in
            XCTAssertEqual("\(error)", "\(path): cannot write: No space left on device")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk.path), ["model.safetensors"])
        XCTAssertEqual(Interrupt.registeredCount, 0)
    }

    /// Item 5: files written as one unit are all renamed or none: when the second does not fit,
    /// the first keeps its old contents too.
    func testFilesWrittenAsOneUnitStayInStepOnAFullDisk() throws {
        let disk = try SmallDisk(kilobytes: 64)
        defer { disk.unmount() }
        let counts = disk.path + "/vocab.counts.tsv", vocabulary = disk.path + "/vocab.txt"
        try AtomicFile.write([(counts, Data("old counts\n".utf8)), (vocabulary, Data("old vocabulary\n".utf8))])
        XCTAssertThrowsError(try AtomicFile.write([(counts, Data(count: 40_000)), (vocabulary, Data(count: 40_000))])) { error in
            XCTAssertTrue("\(error)".contains("No space left on device"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: counts, encoding: .utf8), "old counts\n")
        XCTAssertEqual(try String(contentsOfFile: vocabulary, encoding: .utf8), "old vocabulary\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted(), ["vocab.counts.tsv", "vocab.txt"])
    }

    /// The pid of a process that has exited.
    private func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let pid = process.processIdentifier
        if kill(pid, 0) == 0 { throw XCTSkip("pid \(pid) was reused at once") }
        return pid
    }
}
