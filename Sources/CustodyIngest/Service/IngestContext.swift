import CustodyCatalog
import CustodyCore
import Foundation
import Logging

/// What every ingest worker shares: the catalog, the store and the rules in force.
public struct IngestContext: Sendable {
    public let config: CustodyConfig
    public let catalog: Catalog
    public let store: EvidenceStore
    /// Pipelined for large files (hashing on another core, O_DIRECT read-back), single-thread for small ones.
    public let copier: PipelinedCopier
    public let grammars: FileNameGrammarSet
    public let recognizer: CameraRecognizer
    /// Matching and deadline rules with the working-day calendar currently in force.
    public let rules: PolicySource
    public let monitor: IngestMonitor
    public let logger: Logger
    public var timeZone: TimeZone { config.station.resolvedTimeZone }

    public init(config: CustodyConfig, catalog: Catalog, store: EvidenceStore, monitor: IngestMonitor, rules: PolicySource,
                logger: Logger) throws {
        self.config = config
        self.catalog = catalog
        self.store = store
        self.copier = PipelinedCopier(store: store, bufferBytes: config.ingest.bufferBytes, readBack: config.ingest.readBack)
        self.grammars = try FileNameGrammarSet(config.grammars)
        self.recognizer = CameraRecognizer(grammars: grammars)
        self.rules = rules
        self.monitor = monitor
        self.logger = logger
    }
}
