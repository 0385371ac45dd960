import CustodyCatalog
import CustodyCore
import Foundation
import Logging

/// Where the checkpoints that leave the catalog are kept by the station itself (provable-catalog
/// issue, item 2): the station key signs every stamp (`Catalog.stamp`, through the seal this sets),
/// and each signed head is appended to the day's anchor file in the spool and logged as one journal
/// line, before it is written on a disc, an export bag or a report.
public struct AuditHeads: Sendable {
    let key: StationKey
    let anchors: AnchorFiles
    let logger: Logger

    init(config: CustodyConfig, key: StationKey, logger: Logger) {
        self.key = key
        self.anchors = AnchorFiles(spool: config.paths.spool, timeZone: config.station.resolvedTimeZone)
        self.logger = logger
    }

    /// The station's public key, hex.
    public var publicKey: String { key.publicKeyHex }
    public var keyID: String { key.keyID }

    /// Keeps a head outside the catalog: the anchor file of its day and a journal line.
    func anchor(_ head: SignedTreeHead, reason: String) throws {
        try anchors.append(head, reason: reason)
        logger.notice("audit tree head", metadata: ["head": "\(head.line)", "reason": "\(reason)", "treeSize": "\(head.treeSize)"])
    }
}
