import CustodyArchive
import CustodyCore
import Foundation

/// A temporary folder with a content-addressed store of generated clips.
struct StoreFixture {
    let root: URL
    let content: DiscSetContent
    let clipData: [String: Data]   // disc path -> bytes

    init(copy: String = "A", clipCount: Int = 6) throws {
        let fm = FileManager.default
        root = fm.temporaryDirectory.appendingPathComponent("custody-test-\(UUID().uuidString)")
        var generator = SystemRandomNumberGenerator()
        var namer = DiscFileNamer()
        var files: [DiscFile] = []
        var data: [String: Data] = [:]
        let officers = ["张三", "李四", "王五"]
        let start = Date(timeIntervalSince1970: 1_767_259_800)
        for index in 0..<clipCount {
            let bytes = Data((0..<(20_000 + index * 37_123)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let hex = TestSHA().hex(bytes)
            let folder = root.appendingPathComponent("store/sha256/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))")
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent(hex)
            try bytes.write(to: path)
            try fm.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path.path)
            let relative = namer.name(caseNumber: index < 3 ? "京公(朝)立字[2026]0042号" : nil,
                                      officerName: officers[index % 3], deviceSerial: "DSJ-T8-00\(index % 2)",
                                      recordedAt: start.addingTimeInterval(Double(index / 2) * 600),
                                      sequence: 1, fileExtension: "MP4")
            let file = DiscFile(sourcePath: path.path, sha256: hex, sizeBytes: Int64(bytes.count), relativePath: relative)
            files.append(file)
            data[file.discPath] = bytes
        }
        let label = DiscLabelFields(unit: "北京市公安局朝阳分局执法办案管理中心", maker: "赵六",
                                    madeAt: Date(timeIntervalSince1970: 1_767_340_800),
                                    activities: [DiscActivity(caseNumber: "京公(朝)立字[2026]0042号", name: "张某某盗窃案"),
                                                 DiscActivity(name: "2026年1月2日 三里屯治安巡逻 & <夜查>")])
        let stamp = AuditStamp(treeSize: 1234, headHash: String(repeating: "9f2c4e0b", count: 8), root: String(repeating: "a1d3e5f7", count: 8),
                               at: Date(timeIntervalSince1970: 1_767_340_800))
        content = DiscSetContent(setID: "DS-2026-0007", copy: copy, label: label, files: files, stamp: stamp)
        clipData = data
    }

    func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    func cleanup() {
        _ = try? FileManager.default.removeItem(at: root)
    }

    /// Flips one byte in the middle of `discPath`'s data inside the image file.
    func flipByte(of discPath: String, inImage image: URL) throws {
        var bytes = try Data(contentsOf: image)
        let clip = clipData[discPath]!
        guard let range = bytes.range(of: clip.prefix(256)) else { throw CocoaError(.fileReadCorruptFile) }
        let offset = range.lowerBound + clip.count / 2
        bytes[offset] ^= 0xFF
        try bytes.write(to: image)
    }
}

/// Runs a tool, returning exit status and combined output.
func runTool(_ tool: String, _ args: [String], in folder: URL? = nil) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
    process.arguments = args
    if let folder { process.currentDirectoryURL = folder }
    var env = ProcessInfo.processInfo.environment
    env["LC_ALL"] = "C.UTF-8"
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
