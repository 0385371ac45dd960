import CustodyArchive
import Crypto
import Foundation

/// A throw-away store and target folder per test, laid out as on the station.
struct BagFixture {
    let root: URL
    var store: URL { root.appendingPathComponent("store") }
    var target: URL { root.appendingPathComponent("usb") }
    var bag: URL { target.appendingPathComponent("调取 2024-001") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("bag-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Puts `bytes` into the store under its SHA-256 and returns that address.
    func addClip(_ bytes: [UInt8]) throws -> String {
        let hex = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let url = ContentStore.url(storeRoot: store, sha256: hex)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return hex
    }

    static func clipBytes(_ seed: UInt8, count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    static let info = BagInfo(
        sourceOrganization: "某市公安局某某派出所", baggingDate: Date(timeIntervalSince1970: 1_750_000_000),
        externalIdentifier: "ACC-2024-0001",
        extraFields: [BagInfoField("Access-Request", "ACC-2024-0001"), BagInfoField("Requester", "李律师 (某某律师事务所)"),
                      BagInfoField("Approver", "chief"), BagInfoField("Station", "custody-01")])

    static let report = BagTagFile(name: "custody-report.json",
                                   text: #"{"clips":[{"event":"ingested","by":"clerk1"}]}"# + "\n")
}

/// Runs the reference validator, bagit.py from PyPI's `bagit` package.
enum ReferenceValidator {
    static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/bagit.py" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Exit status of `bagit.py --validate <bag>`, with what it printed.
    static func validate(_ bag: URL) throws -> (status: Int32, output: String) {
        guard let exe = executable() else {
            return (-1, "bagit.py not found on PATH: run `pip install bagit`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["--validate", bag.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
