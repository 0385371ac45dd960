import CustodyArchive
import Foundation
import Testing

@Test func labelsRenderToPDFAndPNG() throws {
    let fix = try StoreFixture(copy: "B")
    defer { fix.cleanup() }
    let content = fix.content
    let manifestHash = DiscImageBuilder.manifestSHA256(of: content)
    let clip = ClipEvidence(caseName: "张某某盗窃案", caseNumber: "京公(朝)立字[2026]0042号", officerName: "张三（警号 012345）",
                            cameraOperator: "李四", startTime: Date(timeIntervalSince1970: 1_767_259_800),
                            endTime: Date(timeIntervalSince1970: 1_767_260_165), place: "北京市朝阳区三里屯路19号",
                            deviceBrandModel: "海康威视 DSJ-T8", deviceSerial: "DSJ-T8-001", recordingFormat: "MP4（H.264 / AAC）",
                            fileName: content.files[0].discPath, sha256: content.files[0].sha256,
                            sizeBytes: content.files[0].sizeBytes)
    let documents = [
        ("disc-face", try LabelRenderer.discFace(content: content, manifestSHA256: manifestHash)),
        ("sleeve", try LabelRenderer.sleeve(content: content, manifestSHA256: manifestHash)),
        ("evidence-sheet", LabelRenderer.evidenceSheet(clip: clip, content: content)),
    ]
    let preview = ProcessInfo.processInfo.environment["CUSTODY_LABEL_PREVIEW"].map { URL(fileURLWithPath: $0) }
    for (name, svgText) in documents {
        #expect(svgText.contains("&amp; &lt;夜查&gt;") || name == "evidence-sheet")
        #expect(svgText.contains("WenQuanYi Micro Hei"))
        let svg = fix.url("\(name).svg"), pdf = fix.url("\(name).pdf")
        try Data(svgText.utf8).write(to: svg)
        try LabelRenderer.convertToPDF(svg: svg, pdf: pdf)
        let (status, log) = try runTool("pdftoppm", ["-png", "-r", "100", "-singlefile", pdf.path, fix.url(name).path])
        #expect(status == 0, "\(log)")
        let png = fix.url("\(name).png")
        let size = (try FileManager.default.attributesOfItem(atPath: png.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 5_000)
        if let preview {
            try? FileManager.default.removeItem(at: preview.appendingPathComponent("\(name).png"))
            try FileManager.default.copyItem(at: png, to: preview.appendingPathComponent("\(name).png"))
        }
    }
}
