import ArgumentParser
import CCustodyLinux
import CustodyCatalog
import CustodyCore
import CustodyIngest
import CustodyServer
import CustodyConfigFile
import Foundation
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// `custodyd --config PATH`: the evidence-room daemon, in the foreground (systemd Type=notify).
@main
struct Custodyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custodyd",
        abstract: "Custody daemon: ingests body-camera footage into a verified, cataloged evidence store.",
        version: APIHandlers.version)

    @Option(name: .long, help: "Path of the TOML configuration file.")
    var config: String

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: ArgumentHelp("Restore the catalog from a backup made by `custodyctl backup` (the daemon must be stopped), then exit. The restore is recorded in the audit chain and signed into the anchors.", valueName: "BACKUP"))
    var restoreFrom: String?

    @Option(name: .long, help: "Why the catalog is restored (with --restore-from); written into the audit chain.")
    var reason: String?

    /// Two malloc arenas, not glibc's 8 per core (issue 21, item 3). Every request's handler runs
    /// on a thread of its own, and each new thread may take its own arena, whose freed memory
    /// glibc keeps: in a 2,000-dump soak the daemon's anonymous memory grew by 0.7 MiB per 100
    /// dumps while what malloc had in use stayed near 6 MiB; with one arena it was flat.
    /// `MALLOC_ARENA_MAX` in the environment still decides where an administrator set it.
    static func boundMallocArenas() {
        if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil { _ = custody_malloc_arena_max(2) }
    }

    mutating func run() async throws {
        Self.boundMallocArenas()
        let level = logLevel
        LoggingSystem.bootstrap { label in JournalLogHandler(logLevel: level, label: label) }
        let logger = Logger(label: "custodyd")
        let notifier = SystemdNotifier()
        do {
            let settings = try ConfigLoader.load(path: config)
            if let restoreFrom {
                let outcome = try CatalogRestore(config: settings, logger: logger)
                    .run(from: restoreFrom, reason: reason ?? "", actor: PeerIdentity(uid: getuid(), gid: getgid(), pid: getpid()).auditName)
                print(CatalogRestore.summary(outcome))
                if outcome.verification?.valid != true { throw ExitCode(1) }
                return
            }
            try await Self.serve(settings, logger: logger, notifier: notifier)
        } catch {
            logger.critical("custodyd cannot run", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("custodyd: \((error as? ConfigError)?.text() ?? "\(error)")\n".utf8))
            notifier.notify("STATUS=failed: \(error)")
            throw ExitCode(1)
        }
    }

    static func serve(_ config: CustodyConfig, logger: Logger, notifier: SystemdNotifier) async throws {
        // Whatever starts the daemon, what it creates is not for others: folders 0750, files 0640.
        umask(0o027)
        let catalog = try Catalog(path: config.paths.catalog)
        do {
            try AccessPolicy(api: config.api).checkAccounts()
        } catch {
            _ = try? catalog.audit(actor: "custodyd", action: "daemon.refused", object: "config", detail: ["reason": "\(error)"])
            throw error
        }
        let store = try EvidenceStore(root: config.paths.store)
        try FileManager.default.createDirectory(atPath: config.paths.spool, withIntermediateDirectories: true)
        do {
            if try StoreOwner(storeRoot: config.paths.store).claim(catalogID: try catalog.identity(), catalogPath: config.paths.catalog) {
                logger.notice("the store now records its catalog", metadata: ["store": "\(config.paths.store)", "catalog": "\(config.paths.catalog)"])
                try catalog.audit(actor: "custodyd", action: "store.claim", object: "store", detail: ["store": config.paths.store])
            }
        } catch {
            _ = try? catalog.audit(actor: "custodyd", action: "daemon.refused", object: "store", detail: ["reason": "\(error)"])
            throw error
        }
        try StatePermissions(store: config.paths.store, spool: config.paths.spool, catalog: config.paths.catalog).enforce(logger: logger)
        let monitor = IngestMonitor()
        try catalog.audit(actor: "custodyd", action: "daemon.start", object: "station",
                          detail: ["version": APIHandlers.version, "unit": config.station.unit])
        // The chain from its last verified position and the anchors kept outside the catalog,
        // before anything else writes; the rows against the chain follow (provable-catalog issue).
        let integrity = try StationIntegrity(config: config, catalog: catalog, monitor: monitor, logger: logger)
        try integrity.checkAtStart()
        let report = try StartupRecovery(catalog: catalog, store: store, logger: logger).run(monitor: monitor)
        logger.info("startup recovery done", metadata: [
            "tempFilesRemoved": "\(report.tempFilesRemoved)", "adopted": "\(report.adopted.count)",
            "missing": "\(report.missing.count)", "interruptedDumps": "\(report.interruptedDumps.count)"])
        for copy in try catalog.failInterruptedBurns() {
            logger.warning("a disc burn was interrupted by the restart; burn that copy again", metadata: ["copy": "\(copy)"])
        }
        let rules = PolicySource(config: config, catalog: catalog, logger: logger)
        try PolicyAtStart.run(config: config, policy: rules.policy, catalog: catalog, logger: logger)
        let context = try IngestContext(config: config, catalog: catalog, store: store, monitor: monitor, rules: rules,
                                        logger: logger)
        integrity.startFullCheck()
        let handlers = APIHandlers(config: config, catalog: catalog, store: store, monitor: monitor, rules: rules,
                                   integrity: integrity, startedAt: Date(), logger: logger)
        let server = AdminServer(api: handlers, socketPath: config.paths.socket,
                                 socketGroup: config.api.socketGroup, logger: logger) {
            logger.notice("custodyd ready", metadata: ["socket": "\(config.paths.socket)", "store": "\(config.paths.store)"])
            notifier.notify("READY=1\nSTATUS=watching \(config.watch.mountRoots.joined(separator: ", "))")
        }
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: server),
                .init(service: handlers.refusalLog),
                .init(service: IngestService(context: context)),
                .init(service: FixityScrubber(config: config, catalog: catalog, store: store, monitor: monitor, logger: logger)),
                .init(service: DeadlineWatcher(config: config, catalog: catalog, store: store, monitor: monitor, rules: rules,
                                               logger: logger)),
                .init(service: IntegrityWatch(integrity: integrity, catalog: catalog, logger: logger)),
                .init(service: WatchdogService(notifier: notifier), successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        notifier.notify("STOPPING=1")
        // A head at every stop, so a catalog copied back from while the daemon ran is shorter than it.
        _ = try? catalog.stamp(reason: "daemon stop")
        _ = try? catalog.audit(actor: "custodyd", action: "daemon.stop", object: "station")
        logger.notice("custodyd stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension Custodyd {
    /// Usage errors exit 2, as the interface contract says (ArgumentParser's default is 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
