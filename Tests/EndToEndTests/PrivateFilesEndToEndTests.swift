import CustodyAPI
import Foundation
import Glibc
import Testing

/// Authorization issue, item 5, end to end: whatever made the store and catalog, the daemon makes
/// them private at start (and says so); a store serves the one catalog it records.
@Suite("State files private end to end", .serialized)
struct PrivateFilesEndToEndTests {
    static func mode(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    @Test("store folders made 0755/0777 by hand become 0750 at start, with a log line; new folders and the catalog and its WAL are private")
    func modesAtStart() throws {
        let harness = try DaemonHarness()
        // As `mkdir -p` under a permissive umask, or an older version, would leave them.
        for dir in ["", "/tmp", "/sha256", "/sha256/ab", "/sha256/ab/cd"] {
            try FileManager.default.createDirectory(atPath: harness.storeRoot + dir, withIntermediateDirectories: true)
            chmod(harness.storeRoot + dir, 0o777)
        }
        _ = FileManager.default.createFile(atPath: harness.catalogPath, contents: nil)
        chmod(harness.catalogPath, 0o644)
        try harness.start()
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 3, start: Date().addingTimeInterval(-3600)))
        #expect(harness.log().contains("state files were too open and were made private"))
        var folders = [harness.storeRoot]
        for sub in try FileManager.default.subpathsOfDirectory(atPath: harness.storeRoot) {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: harness.storeRoot + "/" + sub, isDirectory: &isDir), isDir.boolValue {
                folders.append(harness.storeRoot + "/" + sub)
            }
        }
        #expect(folders.count > 5, "\(folders)")
        for folder in folders { #expect(Self.mode(folder) & 0o027 == 0, "\(folder) is \(String(Self.mode(folder), radix: 8))") }
        for file in [harness.catalogPath, harness.catalogPath + "-wal"] {
            #expect([0o600, 0o640].contains(Self.mode(file)), "\(file) is \(String(Self.mode(file), radix: 8))")
        }
        harness.stop()
        // Loosened again while stopped: corrected at the next start.
        chmod(harness.catalogPath, 0o666)
        try harness.start()
        #expect(Self.mode(harness.catalogPath) == 0o600)
        harness.stop()
    }

    @Test("a second custodyd given the same store with another catalog refuses to start; the first keeps its clips")
    func secondCatalogRefused() throws {
        let harness = try DaemonHarness()
        try harness.start()
        try MatchingEndToEndTests.dock(harness, folder: "cam1", files: RetentionEndToEndTests.files(count: 2, start: Date().addingTimeInterval(-3600)))
        let other = harness.dir.appending("other.toml")
        let config = try String(contentsOfFile: harness.configPath, encoding: .utf8)
            .replacingOccurrences(of: "catalog = \"catalog.sqlite\"", with: "catalog = \"other.sqlite\"")
            .replacingOccurrences(of: "socket = \"custodyd.sock\"", with: "socket = \"other.sock\"")
        try config.write(to: other, atomically: true, encoding: .utf8)
        let second = try run(DaemonHarness.custodyd, ["--config", other.path])
        #expect(second.status == 1)
        #expect(String(decoding: second.stderr, as: UTF8.self).contains("belongs to catalog \(harness.catalogPath)"),
                "\(String(decoding: second.stderr, as: UTF8.self))")
        #expect(try harness.clips().count == 2 && (try harness.ctlJSON(["fsck"], as: FsckReport.self)).consistent)
        #expect(try IngestEndToEndTests.sqlite(harness, "SELECT count(*) FROM audit WHERE action = 'store.claim'") == "1")
        harness.stop()
        // Even with the first one stopped: the store is still the first catalog's.
        #expect(try run(DaemonHarness.custodyd, ["--config", other.path]).status == 1)
    }
}
