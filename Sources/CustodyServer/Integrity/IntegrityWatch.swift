import CustodyCatalog
import Foundation
import Logging
import ServiceLifecycle

/// Once a day (checked hourly, so a restart does not reset the clock): a signed checkpoint into
/// the anchor files and the journal, and the full integrity check (the chain from genesis, every
/// bound row against it, every anchor), which raises the alarm when it finds anything.
public struct IntegrityWatch: Service {
    let integrity: StationIntegrity
    let catalog: Catalog
    let logger: Logger

    public init(integrity: StationIntegrity, catalog: Catalog, logger: Logger) {
        self.integrity = integrity; self.catalog = catalog; self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.daily()
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func daily(now: Date = Date()) {
        do {
            if (try catalog.checkpoints().last?.at).map({ now.timeIntervalSince($0) >= 86_400 }) ?? true {
                _ = try catalog.stamp(reason: "daily")
            }
            if integrity.state.withLock({ $0.fullCheckAt }).map({ now.timeIntervalSince($0) >= 86_400 }) ?? false {
                // Seconds to a minute at a million clips: on a thread of its own, not the service's.
                integrity.startFullCheck(syncRows: 0)
            }
        } catch {
            logger.error("daily integrity work failed", metadata: ["error": "\(error)"])
        }
    }
}
