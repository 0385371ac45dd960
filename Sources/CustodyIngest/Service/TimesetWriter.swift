import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

extension DumpIngestor {
    /// Writes the time-set file a device profile asks for to the camera's root, after every file
    /// was verified, so the camera corrects its clock on next boot (ledger issue, item 6). Off
    /// unless an admin configured it for the device's brand; every write or failure is audited.
    func writeTimeset(serial: String) {
        guard medium.kind == .mount,
              let device = try? catalog.device(serial: serial), !device.placeholder,
              let profile = context.config.deviceProfiles.first(where: { $0.brand == device.brand }),
              let name = profile.timesetFile else { return }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = context.timeZone
        formatter.dateFormat = profile.timesetFormat
        let stamp = formatter.string(from: Date())
        let path = medium.root + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        var failure: String?
        if fd < 0 {
            failure = String(cString: strerror(errno))
        } else {
            let bytes = Array((stamp + "\r\n").utf8)
            if write(fd, bytes, bytes.count) != bytes.count || fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
            close(fd)
        }
        if let failure {
            logger.warning("could not write the time-set file to the camera", metadata: ["device": "\(serial)", "path": "\(path)", "error": "\(failure)"])
            _ = try? catalog.audit(actor: "custodyd", action: "device.timeset-failed", object: "device:\(serial)",
                                   detail: ["path": path, "error": failure])
        } else {
            logger.notice("time-set file written to the camera", metadata: ["device": "\(serial)", "time": "\(stamp)"])
            _ = try? catalog.audit(actor: "custodyd", action: "device.timeset", object: "device:\(serial)",
                                   detail: ["path": path, "time": stamp])
        }
    }
}
