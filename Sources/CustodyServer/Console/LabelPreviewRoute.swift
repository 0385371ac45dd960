import CustodyArchive
import Foundation
import NIOCore

extension APIHandlers {
    /// `GET /v1/discs/{set}/label?copy=A&part=face|sleeve` (viewer role): the label of a burned
    /// copy as SVG, rendered in memory, for the web console to preview and print. Writing the
    /// label files and confirming a label stay `POST /v1/discs/{set}/label` (admin role).
    func labelPreview(_ id: String, _ request: APIRequest) throws -> APIResponse {
        guard let set = try catalog.discSet(id: id) else { throw APIRefusal.notFound("no disc set \(id)", zh: "没有光盘组 \(id)") }
        let copy = request.query["copy"] ?? "A"
        guard copy == "A" || copy == "B" else { throw APIRefusal(.badRequest, "bad-copy", "copy must be A or B", zh: "副本须为 A 或 B") }
        let (content, manifest) = try workshop.labelContent(set, copy: copy)
        let svg: String
        switch request.query["part"] ?? "face" {
        case "face": svg = try LabelRenderer.discFace(content: content, manifestSHA256: manifest)
        case "sleeve": svg = try LabelRenderer.sleeve(content: content, manifestSHA256: manifest)
        case let part:
            throw APIRefusal(.badRequest, "bad-part", "part \(part) is not face or sleeve", zh: "标签部位 \(part) 须为 face（盘面）或 sleeve（封套）")
        }
        return APIResponse(status: .ok, contentType: "image/svg+xml; charset=utf-8", body: ByteBuffer(string: svg))
    }
}
