import CustodyCatalog
import CustodyCore
import Foundation
import Logging

/// Makes the checkpoints that leave the catalog (provable-catalog issue, item 2): a Merkle
/// checkpoint signed with the station key, appended to the day's anchor file in the spool and
/// logged as one journal line with the head, then handed to whoever writes it on a disc, an
/// export bag or a report. Every path that writes a head goes through `checkpoint`.
public struct AuditHeads: Sendable {
    let catalog: Catalog
    let key: StationKey
    let anchors: AnchorFiles
    let logger: Logger

    public init(config: CustodyConfig, catalog: Catalog, key: StationKey, logger: Logger) {
        self.catalog = catalog
        self.key = key
        self.anchors = AnchorFiles(spool: config.paths.spool, timeZone: config.station.resolvedTimeZone)
        self.logger = logger
    }

    /// The station's public key, hex.
    public var publicKey: String { key.publicKeyHex }
    public var keyID: String { key.keyID }

    /// Writes, signs and anchors a checkpoint over every audit row so far.
    @discardableResult
    public func checkpoint(reason: String, actor: String = "custodyd") throws -> SignedTreeHead {
        let key = self.key
        let checkpoint = try catalog.writeCheckpoint(reason: reason, actor: actor) { size, root, at in
            try SignedTreeHead.sign(treeSize: size, root: root, time: at, key: key)
        }
        guard let head = checkpoint.signedHead else { throw ServerError(description: "the checkpoint of \(reason) was not signed") }
        try anchor(head, reason: reason)
        return head
    }

    /// Keeps a head outside the catalog: the anchor file of its day and a journal line.
    func anchor(_ head: SignedTreeHead, reason: String) throws {
        try anchors.append(head, reason: reason)
        logger.notice("audit tree head", metadata: ["head": "\(head.line)", "reason": "\(reason)", "treeSize": "\(head.treeSize)"])
    }
}
