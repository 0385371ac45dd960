import CustodyAPI
import CustodyCore
import Foundation
import Hummingbird

/// Every route of the admin API, each declared once with the role it needs. Reading this table
/// tells who may call what; `install(on:api:)` puts each route behind `RequireRole(role)`, the
/// matrix test (`RoleMatrixEndToEndTests`) calls every route as every role, and the README's
/// roles table is checked against `markdown()`.
public enum RouteTable {
    public static let routes: [AdminRoute] = reads + ledger + work + retention + access

    static let reads: [AdminRoute] = [
        .init(.get, "/metrics", .viewer) { api, _ in try api.metrics() },
        .init(.get, "/v1/status", .viewer) { api, _ in .json(try api.status()) },
        .init(.get, "/v1/events", .viewer) { api, _ in api.events() },
        .init(.get, "/v1/clips", .viewer) { api, r in try api.clips(r) },
        .init(.get, "/v1/me", .viewer) { api, r in .json(api.caller(r.peer)) },
        .init(.get, "/v1/vocabulary", .viewer) { _, _ in .json(APIHandlers.vocabulary()) },
        .init(.get, "/v1/clips/:clip", .viewer) { api, r in try api.clipDetail(r) },
        .init(.get, "/v1/clips/:clip/content", .viewer) { api, r in try api.clipContent(r.parameter("clip"), r) },
        .init(.get, "/v1/clips/:clip/custody", .viewer) { api, r in try api.custody(r.parameter("clip"), r) },
        .init(.get, "/v1/dumps", .viewer) { api, _ in .json(try api.dumps()) },
        .init(.get, "/v1/dumps/:dump", .viewer) { api, r in try api.dump(r) },
        .init(.get, "/v1/audit/verify", .viewer, waiting: { api, r in .json(try await api.auditVerifyJob(r)) }),
        .init(.get, "/v1/fsck", .viewer, waiting: { api, r in .json(try await api.fsckJob(r)) }),
        .init(.get, "/v1/jobs", .viewer) { api, _ in .json(api.jobs.items()) },
        .init(.get, "/v1/jobs/:job", .viewer) { api, r in .json(try api.jobDetail(r)) },
        // Cancelling is open to whoever started the job (a viewer may start fsck) or an admin: the handler checks.
        .init(.delete, "/v1/jobs/:job", .viewer) { api, r in .json(try api.cancelJob(r)) },
    ]

    static let ledger: [AdminRoute] = [
        .init(.get, "/v1/officers", .viewer) { api, _ in .json(try api.catalog.officers().map(LedgerItems.item)) },
        .init(.get, "/v1/officers/:badge", .viewer) { api, r in try api.officerDetail(r) },
        .init(.post, "/v1/officers", .clerk) { api, r in try api.saveOfficer(r) },
        .init(.post, "/v1/officers/:badge/deactivate", .clerk) { api, r in try api.deactivateOfficer(r) },
        .init(.get, "/v1/devices", .viewer) { api, _ in .json(try api.catalog.devices().map(LedgerItems.item)) },
        .init(.get, "/v1/devices/:serial", .viewer) { api, r in try api.deviceDetail(r) },
        .init(.post, "/v1/devices", .clerk) { api, r in try api.saveDevice(r) },
        .init(.post, "/v1/devices/:serial/retire", .clerk) { api, r in try api.retireDevice(r) },
        .init(.post, "/v1/devices/:serial/checkout", .clerk) { api, r in try api.checkout(r) },
        .init(.post, "/v1/devices/:serial/checkin", .clerk) { api, r in try api.checkin(r) },
        .init(.get, "/v1/handovers", .viewer) { api, r in .json(try api.catalog.handovers(serial: try APIHandlers.key(r.query["device"], .serial)).map(LedgerItems.item)) },
        .init(.get, "/v1/interruptions", .viewer) { api, _ in .json(try api.catalog.interruptions().map(LedgerItems.item)) },
        .init(.post, "/v1/interruptions", .clerk) { api, r in try api.addInterruption(r) },
        .init(.post, "/v1/import/:table", .clerk) { api, r in try api.importCSV(table: r.parameter("table"), r) },
        .init(.get, "/v1/export/:table", .viewer, waiting: { api, r in try await api.requestJob(.export, r) { try api.exportCSV(table: $0.parameter("table"), $0) } }),
        .init(.get, "/v1/ledger", .viewer, waiting: { api, r in try await api.requestJob(.report, r, api.ledgerReport) }),
    ]

    static let work: [AdminRoute] = [
        .init(.get, "/v1/deadlines", .viewer) { api, _ in .json(try api.deadlines()) },
        .init(.post, "/v1/deadlines/exceptions", .approver) { api, r in try api.grantException(r) },
        .init(.post, "/v1/clips/:clip/annotate", .clerk) { api, r in try api.annotate(r) },
        .init(.post, "/v1/clips/:clip/leave-case", .clerk) { api, r in try api.leaveCase(r) },
        .init(.post, "/v1/clips/correct", .clerk) { api, r in try api.correctClips(r) },
        .init(.post, "/v1/clips/reparse", .clerk) { api, r in try api.reparseClips(r) },
        .init(.post, "/v1/dumps/:dump/clock-offset", .clerk) { api, r in try api.setClockOffset(r) },
        .init(.get, "/v1/cases", .viewer) { api, r in .json(try r.reader.cases().map(api.caseItem)) },
        .init(.get, "/v1/cases/:case", .viewer) { api, r in try api.caseDetail(r) },
        .init(.post, "/v1/cases", .clerk) { api, r in try api.addCase(r) },
        .init(.post, "/v1/cases/:case/close", .clerk) { api, r in try api.recordCaseEvent(.closed, r) },
        .init(.post, "/v1/cases/:case/archive", .clerk) { api, r in try api.recordCaseEvent(.archived, r) },
        .init(.post, "/v1/cases/:case/reopen", .clerk) { api, r in try api.recordCaseEvent(.reopened, r) },
        .init(.get, "/v1/reports/compliance", .viewer, waiting: { api, r in try await api.requestJob(.report, r, api.complianceReport) }),
        .init(.get, "/v1/reviews", .viewer) { _, r in .json(try r.reader.reviewSamples().map(APIHandlers.item)) },
        .init(.get, "/v1/reviews/:sample", .viewer) { api, r in try api.reviewDetail(r) },
        .init(.post, "/v1/reviews", .clerk) { api, r in try api.drawReviewSample(r) },
        .init(.post, "/v1/reviews/:sample/findings", .clerk) { api, r in try api.recordReviewFinding(r) },
    ]

    static let retention: [AdminRoute] = [
        .init(.post, "/v1/clips/:clip/retain", .clerk) { api, r in try api.retain(r) },
        .init(.get, "/v1/retain/proposals", .viewer) { _, r in .json(try r.reader.longTermProposals().map(APIHandlers.item)) },
        .init(.post, "/v1/holds", .approver) { api, r in try api.hold(r) },
        .init(.get, "/v1/disposal", .viewer) { api, _ in .json(try api.catalog.disposalProposals().map(APIHandlers.item)) },
        .init(.get, "/v1/disposal/:proposal", .viewer) { api, r in try api.disposalDetail(r) },
        .init(.post, "/v1/disposal/propose", .admin) { api, r in try api.proposeDisposal(r) },
        .init(.post, "/v1/disposal/:proposal/approve", .admin) { api, r in try api.approveDisposal(r) },
        .init(.get, "/v1/tombstones", .viewer) { api, _ in .json(try api.tombstoneItems()) },
        .init(.get, "/v1/discs", .viewer) { api, r in .json(try r.reader.discSets().map(api.workshop.item)) },
        .init(.get, "/v1/discs/queue", .viewer) { api, r in .json(try api.discQueue(r)) },
        .init(.get, "/v1/discs/:set", .viewer) { api, r in try api.discSetDetail(r) },
        .init(.get, "/v1/discs/:set/label", .viewer) { api, r in try api.labelPreview(r.parameter("set"), r) },
        .init(.post, "/v1/discs/plan", .admin) { api, r in try api.planDiscs(r) },
        .init(.post, "/v1/discs/:set/burn", .admin) { api, r in try api.discCopyAction("burn", r) },
        .init(.post, "/v1/discs/:set/verify", .admin) { api, r in try api.discCopyAction("verify", r) },
        .init(.post, "/v1/discs/:set/label", .admin) { api, r in try api.discCopyAction("label", r) },
        .init(.post, "/v1/discs/:set/locate", .admin) { api, r in try api.discCopyAction("locate", r) },
    ]

    static let access: [AdminRoute] = [
        .init(.get, "/v1/access", .viewer, unredactedFor: [.auditor]) { api, r in try api.accessRegister(r) },
        .init(.get, "/v1/access/:request", .viewer, unredactedFor: [.auditor]) { api, r in try api.accessDetail(r) },
        .init(.post, "/v1/access", .clerk) { api, r in try api.requestAccess(r) },
        .init(.post, "/v1/access/:request/approve", .approver) { api, r in try api.decideAccess(approve: true, r) },
        .init(.post, "/v1/access/:request/deny", .approver) { api, r in try api.decideAccess(approve: false, r) },
        .init(.post, "/v1/access/:request/export", .clerk) { api, r in try api.exportAccess(r) },
        .init(.post, "/v1/access/:request/viewed", .clerk) { api, r in try api.recordViewing(r) },
        .init(.post, "/v1/clips/:clip/confidential", .clerk) { api, r in try api.setClipConfidentiality(r) },
        .init(.post, "/v1/cases/:case/confidential", .clerk) { api, r in try api.setCaseConfidentiality(r) },
        .init(.get, "/v1/audit", .viewer, unredactedFor: [.auditor]) { api, r in try api.auditRows(r) },
        .init(.get, "/v1/audit/checkpoints", .viewer) { api, _ in .json(try api.checkpointItems()) },
        .init(.post, "/v1/audit/checkpoint", .clerk) { api, r in try api.writeCheckpoint(r) },
        .init(.get, "/v1/audit/key", .viewer) { api, _ in .json(api.stationKey()) },
        .init(.get, "/v1/audit/consistency", .viewer) { api, r in try api.consistency(r) },
        .init(.post, "/v1/audit/acknowledge", .admin) { api, r in try api.acknowledgeAlarm(r) },
        .init(.post, "/v1/backup", .admin) { api, r in try api.backupCatalog(r) },
    ]

    /// Adds every route to `router`, grouped by the role it needs: each group's `RequireRole`
    /// runs before any of its routes.
    static func install(on router: Router<AdminContext>, api: APIHandlers) {
        for role in StationRole.allCases {
            let group = router.group().add(middleware: RequireRole(role: role, api: api))
            for route in routes where route.role == role {
                let method: HTTPRequest.Method = switch route.method {
                case .get: .get
                case .post: .post
                case .delete: .delete
                }
                group.on(RouterPath(route.path), method: method) { request, context in
                    try await RouteAnswer(route: route, api: api).respond(to: request, context: context)
                }
            }
        }
    }

    /// The roles table of the README (between `<!-- roles:begin -->` and `<!-- roles:end -->`),
    /// one row per role with every route that needs it, in the order declared, and the routes it
    /// reads in full where others get confidential clips withheld.
    public static func markdown() -> String {
        let rows = StationRole.allCases.map { role in
            let paths = routes.filter { $0.role == role }.map { "`\($0.method.rawValue) \($0.path)`" }
                + routes.filter { $0.unredactedFor.contains(role) }.map { "`\($0.method.rawValue) \($0.path)` in full" }
            return "| \(role.rawValue) | \(paths.isEmpty ? "(none yet)" : paths.joined(separator: ", ")) |"
        }
        return (["| role | routes |", "|---|---|"] + rows).joined(separator: "\n")
    }
}
