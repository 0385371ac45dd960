import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

/// A time the catalog could not be written while a medium was being ingested (availability
/// issue, item 6): its disk full, no descriptors, an I/O error, a lock held by another process.
/// Ingest pauses with the reason in `status` and the event stream, as for a full store, and
/// tries again each second; when a write goes through, the outage is written on the dump
/// (`dump.paused` with its reason, start and end) and the dump resumes where the catalog has it.
/// Files copied into the store whose rows did not commit are copied (found whole) and cataloged
/// again, so nothing stays stored uncataloged; no restart is needed.
struct CatalogOutage {
    let reason: String
    let since: Date
    let rootDevice: dev_t?
    let root: String

    /// Begins an outage: logs it and pauses the ingest with the reason shown in `status`.
    init(pausing ingestor: DumpIngestor, reason: String, error: any Error) {
        self.reason = reason
        since = Date()
        root = ingestor.medium.root
        var st = stat()
        rootDevice = stat(root, &st) == 0 ? st.st_dev : nil
        let message = "\(reason) (\(error)); ingest of \(root) is paused and resumes by itself once the catalog can be written (free space on the catalog's disk, or end what holds it)"
        ingestor.logger.critical("ingest paused: catalog unavailable", metadata: ["medium": "\(root)", "reason": "\(reason)", "error": "\(error)"])
        ingestor.context.monitor.setPaused(message)
    }

    /// Whether the medium is still the one docked when the outage began (removed: the dump is
    /// left unfinished, and resumes when the camera is docked again).
    func mediumPresent() -> Bool {
        var st = stat()
        return stat(root, &st) == 0 && (rootDevice == nil || st.st_dev == rootDevice)
    }

    /// Writes the outage on the medium's unfinished dump (a write that fails again means the
    /// catalog is still unavailable, and the caller waits on), then lifts the pause.
    func end(_ ingestor: DumpIngestor) throws {
        let formatter = ISO8601DateFormatter()
        let note = "\(reason) from \(formatter.string(from: since)) to \(formatter.string(from: Date())); resumed"
        if let dump = try ingestor.catalog.latestDump(mountKey: ingestor.medium.key), dump.state != .complete, dump.state != .refused {
            try ingestor.catalog.setDumpState(id: dump.id, .paused, reason: note)
        } else {
            try ingestor.catalog.audit(actor: "custodyd", action: "dump.paused", object: "medium:\(root)", detail: ["reason": note])
        }
        ingestor.context.monitor.setPaused(nil)
        ingestor.logger.notice("ingest resumed: catalog writable again", metadata: ["medium": "\(root)", "after": "\(reason)"])
    }
}
