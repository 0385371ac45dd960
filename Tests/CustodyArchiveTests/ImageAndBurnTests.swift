import CustodyArchive
import CustodyCore
import Foundation
import Testing

@Suite(.serialized) struct ImageAndBurnTests {
    @Test func twoSpooledCopiesPassSha256sumAndFlipFailsOnlyB() throws {
        let fixA = try StoreFixture(copy: "A")
        defer { fixA.cleanup() }
        var contentB = fixA.content
        contentB.copy = "B"
        let isoA = fixA.url("a.iso"), isoB = fixA.url("b.iso")
        let infoA = try DiscImageBuilder.build(content: fixA.content, outputISO: isoA)
        try DiscImageBuilder.build(content: contentB, outputISO: isoB)
        #expect(infoA.volumeID == "DS_2026_0007_A")
        #expect(infoA.manifestSHA256 == DiscImageBuilder.manifestSHA256(of: fixA.content))

        // Byte-for-byte reproducible.
        let again = fixA.url("a2.iso")
        try DiscImageBuilder.build(content: fixA.content, outputISO: again)
        #expect(try Data(contentsOf: again) == Data(contentsOf: isoA))

        let spool = SpoolBurner(folder: fixA.url("spool"))
        let burnA = try spool.burn(image: isoA, setID: "DS-2026-0007", copy: "A")
        let burnB = try spool.burn(image: isoB, setID: "DS-2026-0007", copy: "B")
        #expect(burnA.readbackSource.hasSuffix("spool/DS-2026-0007-A.iso"))

        for burn in [burnA, burnB] {
            let dir = fixA.url("extract-\(burn.copy)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let (status, log) = try runTool("xorriso", ["-no_rc", "-osirrox", "on", "-indev", burn.readbackSource, "-extract", "/", dir.path])
            #expect(status == 0, "\(log)")
            let (sumStatus, sumLog) = try runTool("sha256sum", ["-c", "manifest-sha256.txt"], in: dir)
            #expect(sumStatus == 0, "\(sumLog)")
            #expect(sumLog.components(separatedBy: ": OK").count - 1 == 6)
            let bagInfo = try String(contentsOf: dir.appendingPathComponent("bag-info.txt"), encoding: .utf8)
            #expect(bagInfo.contains("External-Identifier: DS-2026-0007-\(burn.copy)"))
            #expect(bagInfo.contains("Payload-Oxum: "))
            _ = try runTool("chmod", ["-R", "u+w", dir.path])
        }

        let victim = fixA.content.files[4].discPath
        try fixA.flipByte(of: victim, inImage: URL(fileURLWithPath: burnB.readbackSource))
        let reportA = try DiscVerifier.verify(source: burnA.readbackSource, expected: fixA.content.expectedFiles)
        let reportB = try DiscVerifier.verify(source: burnB.readbackSource, expected: contentB.expectedFiles)
        #expect(reportA.passed, "\(reportA.summary)")
        #expect(reportA.filesChecked == 6)
        #expect(!reportB.passed)
        #expect(reportB.problems.map(\.path) == [victim])
        #expect(reportB.problems.first?.kind == .hashMismatch)
        #expect(!reportB.md5Passed)
        #expect(reportB.summary.contains(victim))
    }

    @Test func verifierReportsMissingAndExtraFiles() throws {
        let fix = try StoreFixture()
        defer { fix.cleanup() }
        let iso = fix.url("x.iso")
        try DiscImageBuilder.build(content: fix.content, outputISO: iso)
        var expected = fix.content.expectedFiles
        let extra = expected.removeLast()
        expected.append(ExpectedFile(path: "data/missing.mp4", sha256: String(repeating: "0", count: 64), sizeBytes: 1))
        let report = try DiscVerifier.verify(source: iso.path, expected: expected)
        #expect(!report.passed)
        #expect(report.problems.contains { $0.kind == .extra && $0.path == extra.path })
        #expect(report.problems.contains { $0.kind == .missing && $0.path == "data/missing.mp4" })
        #expect(!report.manifestMatches)
    }

    @Test func builderNamesMissingSource() throws {
        let fix = try StoreFixture()
        defer { fix.cleanup() }
        var content = fix.content
        content.files[0].sourcePath = fix.url("store/nope").path
        #expect(throws: DiscImageError.sourceMissing(path: fix.url("store/nope").path)) {
            try DiscImageBuilder.build(content: content, outputISO: fix.url("y.iso"))
        }
    }

    @Test func opticalBurnerOnStdioPseudoDrive() throws {
        let fix = try StoreFixture()
        defer { fix.cleanup() }
        let iso = fix.url("o.iso")
        try DiscImageBuilder.build(content: fix.content, outputISO: iso)
        let drive = "stdio:" + fix.url("drive.img").path
        let burner = OpticalBurner(device: drive, media: .dvd)
        #expect(try burner.mediaStatus().isBlank)
        let result = try burner.burn(image: iso, setID: "DS-2026-0007", copy: "A")
        #expect(result.readbackSource == drive)
        let report = try DiscVerifier.verify(source: result.readbackSource, expected: fix.content.expectedFiles)
        #expect(report.passed, "\(report.summary)")
        // The "disc" is now written: a second burn must be refused as not blank.
        #expect(throws: BurnError.self) { try burner.burn(image: iso, setID: "DS-2026-0007", copy: "A") }
        do {
            _ = try burner.burn(image: iso, setID: "DS-2026-0007", copy: "A")
        } catch let error as BurnError {
            guard case .mediaNotBlank = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("不是空白盘"))
        }
        let nowhere = OpticalBurner(device: "stdio:/nonexistent-dir/drive.img")
        #expect(throws: BurnError.self) { try nowhere.mediaStatus() }
    }

    @Test func namerKeepsChineseAndMakesNamesUnique() {
        var namer = DiscFileNamer()
        let date = Date(timeIntervalSince1970: 1_767_259_800)
        let first = namer.name(caseNumber: nil, officerName: "张三", deviceSerial: "SN:01", recordedAt: date, sequence: 1, fileExtension: "mp4")
        let second = namer.name(caseNumber: nil, officerName: "张三", deviceSerial: "SN:01", recordedAt: date, sequence: 1, fileExtension: "MP4")
        #expect(first == "2026-01-01/张三_SN_01_20260101-173000_1.mp4")
        #expect(second == "2026-01-01/张三_SN_01_20260101-173000_1-2.mp4")
        let long = namer.name(caseNumber: "案", officerName: String(repeating: "警", count: 80), deviceSerial: "X",
                              recordedAt: date, sequence: 3, fileExtension: "mp4")
        #expect(long.split(separator: "/").allSatisfy { $0.utf16.count <= 64 })
        #expect(long.hasSuffix(".mp4"))
    }
}
