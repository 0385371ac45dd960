import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// The station key, the check of a signed head from outside against today's log, and the
/// admin's acknowledgment of an integrity alarm (provable-catalog issue).
extension APIHandlers {
    func stationKey() -> StationKeyItem {
        StationKeyItem(publicKey: integrity.publicKey, keyID: integrity.keyID)
    }

    /// `GET /v1/audit/consistency?head=…&source=…`: one signed head from outside against today's log.
    func consistency(_ request: APIRequest) throws -> APIResponse {
        guard let line = request.query["head"], let head = SignedTreeHead.parse(line) else {
            throw APIRefusal(.badRequest, "bad-head", "head= must be one signed tree head line (Custody-Tree-Head v1 size=… root=… time=… key=… sig=…)",
                             zh: "head= 须为一行签名审计树头（Custody-Tree-Head v1 size=… root=… time=… key=… sig=…）")
        }
        return .json(try consistency(head, source: request.query["source"] ?? "the head given"))
    }

    /// `POST /v1/audit/acknowledge` (admin): the integrity alarm acknowledged with a reason, audited.
    func acknowledgeAlarm(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(AcknowledgeRequest.self)
        return .json(try integrity.acknowledge(reason: body.reason, actor: request.peer.auditName))
    }

    /// `POST /v1/backup` (admin): an online copy of the catalog with the checkpoint it was taken at.
    func backupCatalog(_ request: APIRequest) throws -> APIResponse {
        let body = try request.decode(BackupRequest.self)
        return .json(try backup(to: body.target, actor: request.peer.auditName), status: .created)
    }

    /// Checks a head's signature and proves, with an RFC 6962 consistency proof made from today's
    /// rows, that today's log extends its tree: a rolled-back catalog (shorter) or a re-chained one
    /// (another root) fails, naming where the head came from.
    func consistency(_ head: SignedTreeHead, source: String) throws -> ConsistencyItem {
        let restores = integrity.anchorFiles.anchors().map(\.head).filter { $0.restoredFrom != nil }
        let (size, root, prefixRoots, proof) = try catalog.consistencyProof(from: head.treeSize, prefixes: Set(restores.map { Int($0.treeSize) }))
        var check = AnchorCheck.judge([Anchor(source: source, head: head)], size: size, prefixRoots: prefixRoots,
                                      stationKey: integrity.publicKey, restores: restores)[0]
        if check.verdict == .consistent, let old = MerkleHash(hex: head.root),
           !MerkleVerifier.verifyConsistency(oldSize: Int(head.treeSize), newSize: Int(size), oldRoot: old, newRoot: root, proof: proof) {
            check = AnchorCheck(anchor: check.anchor, verdict: .rechained,
                                message: "\(source): the consistency proof from the tree of \(head.treeSize) rows to today's \(size) does not verify: the log was rewritten")
        }
        return ConsistencyItem(source: source, head: head.line, verdict: check.verdict.rawValue, valid: !check.isProblem,
                               message: check.message, headSize: head.treeSize, headRoot: head.root, headTime: head.time,
                               currentSize: size, currentRoot: root.hex, proof: check.verdict == .consistent ? proof.map(\.hex) : [])
    }
}
