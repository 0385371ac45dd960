import CustodyCatalog
import Foundation

/// What every printed report ends with (provable-catalog issue, items 2 and 3): the signed tree
/// head, which a later catalog is checked against (`custodyctl audit verify --against` reads it
/// from the HTML, the CSV or the JSON), and the integrity alarm when one stands.
struct ReportSeal {
    var treeHead: String?
    var integrityAlarm: String?

    init(treeHead: String?, integrityAlarm: String?) {
        self.treeHead = treeHead; self.integrityAlarm = integrityAlarm
    }

    /// The newest signed head and the standing alarm, for a report that writes no checkpoint of its own.
    init(_ integrity: StationIntegrity) {
        treeHead = integrity.latestHead()?.line
        integrityAlarm = integrity.notice?.zh
    }

    var html: String {
        (integrityAlarm.map { "<p class=\"alarm\" style=\"color:#b00;font-weight:bold\">\(LedgerPage.escape($0))</p>\n" } ?? "")
            + (treeHead.map { "<p class=\"foot\">签名审计树头（可用 custodyctl audit verify --against 核对）：<code style=\"word-break:break-all\">\($0)</code></p>\n" } ?? "")
    }

    var csvRows: [[String]] {
        (integrityAlarm.map { [["完整性告警", $0]] } ?? []) + (treeHead.map { [["签名审计树头", $0]] } ?? [])
    }
}

extension StationIntegrity {
    /// The newest checkpoint signed with the station key.
    public func latestHead() -> SignedTreeHead? {
        (try? catalog.latestSignedHead()) ?? nil
    }
}
