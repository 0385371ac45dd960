import CustodyCore
import Foundation

extension DumpIngestor {
    func copyFailed(_ file: ScannedFile, _ error: CopyError, dumpID: Int64) {
        context.monitor.metrics.copyFailures.increment()
        do {
            try catalog.recordIssue(dumpID: dumpID, path: file.path, kind: "copy-failed", message: error.description)
        } catch {
            context.monitor.raiseAlarm("dump \(dumpID): \(file.path.display): copy failed (\(error)) and the catalog could not record it: \(error)")
        }
        logger.error("file not ingested", metadata: ["dump": "\(dumpID)", "path": "\(file.path.display)", "error": "\(error)"])
    }

    func verificationFailed(_ file: ScannedFile, _ error: StoreError, dumpID: Int64) {
        context.monitor.metrics.verificationFailures.increment()
        context.monitor.raiseAlarm("dump \(dumpID): \(file.path.display): \(error)")
        do {
            try catalog.recordIssue(dumpID: dumpID, path: file.path, kind: "verification-failed", message: error.description)
        } catch {
            context.monitor.raiseAlarm("dump \(dumpID): \(file.path.display): the catalog could not record the failed verification: \(error)")
        }
        logger.critical("stored copy failed verification", metadata: ["dump": "\(dumpID)", "path": "\(file.path.display)", "error": "\(error)"])
    }
}
