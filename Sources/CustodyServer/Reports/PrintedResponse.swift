import CustodyAPI
import CustodyArchive
import CustodyCore
import Foundation
import NIOCore

extension APIResponse {
    /// A printed page as the caller asked for it: `html` (for a browser) or `pdf` (A4, made with
    /// rsvg-convert); nil for any other format, which the route answers itself (JSON, CSV).
    static func printed(_ document: @autoclosure () -> PrintDocument, format: String) throws -> APIResponse? {
        switch format {
        case "html":
            return APIResponse(status: .ok, contentType: "text/html; charset=utf-8", body: ByteBuffer(string: document().html()))
        case "pdf":
            let page = document()
            return APIResponse(status: .ok, contentType: "application/pdf",
                               body: ByteBuffer(bytes: try PDFRenderer.data(pages: page.svgPages(), madeAt: page.preparedAt)))
        default:
            return nil
        }
    }

    /// A CSV answer for Excel.
    static func csv(_ bytes: [UInt8]) -> APIResponse {
        APIResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: ByteBuffer(bytes: bytes))
    }
}

extension AuditStampItem {
    init(_ stamp: AuditStamp) {
        self.init(treeSize: stamp.treeSize, headHash: stamp.headHash, root: stamp.root, at: stamp.at)
        (signedHead, signature, keyID, integrityAlarm) = (stamp.signedHead, stamp.signature, stamp.keyID, stamp.integrityAlarm)
    }
}

extension AuditStamp {
    init(_ item: AuditStampItem) {
        self.init(treeSize: item.treeSize, headHash: item.headHash, root: item.root, at: item.at)
        (signedHead, signature, keyID, integrityAlarm) = (item.signedHead, item.signature, item.keyID, item.integrityAlarm)
    }

    /// The rows a CSV report ends with: the signed head (`audit verify --against` reads it back
    /// from the file) and the integrity alarm standing when it was made.
    var csvRows: [[String]] {
        (signedHead.map { [["签名审计树头", $0]] } ?? []) + (integrityAlarm.map { [["完整性告警", $0]] } ?? [])
    }
}

extension APIHandlers {
    /// The format a printable report was asked in, refused when it is none of `allowed`.
    func printFormat(_ request: APIRequest, allowed: [String]) throws -> String {
        let format = request.query["format"] ?? "json"
        guard allowed.contains(format) else {
            throw APIRefusal(.badRequest, "bad-format", "format must be one of \(allowed.joined(separator: ", "))",
                             zh: "格式须为：\(allowed.joined(separator: "、"))")
        }
        return format
    }
}
