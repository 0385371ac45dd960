import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// The routes whose work outlasts a request run as jobs of the `JobBoard` (availability issue,
/// item 4): the request waits for the answer as before (the interface contract is unchanged),
/// but the work runs on its own thread, one per kind at a time, joined by requests for the same.
extension APIHandlers {
    /// `GET /v1/fsck`: every fsck asked for while one runs gets that one's answer.
    func fsckJob(_ request: APIRequest) async throws -> FsckReport {
        try await jobs.run(.fsck, key: "fsck", title: "fsck", by: request.peer.auditName) { control in
            try fsck(control)
        }
    }

    /// `GET /v1/audit/verify`: the chain from genesis and every bound row.
    func auditVerifyJob(_ request: APIRequest) async throws -> AuditVerification {
        try await jobs.run(.auditVerify, key: "audit-verify", title: "audit verify", by: request.peer.auditName) { control in
            try control.checkCancelled()
            return try verifyAudit()
        }
    }

    /// A report or an export as a job of `kind`: the same request again by the same caller (same
    /// path, query, clearance and language) joins the running one; any other waits its turn. The
    /// caller is part of the key, since a printed report names who prepared it.
    func requestJob(_ kind: JobBoard.Kind, _ request: APIRequest,
                    _ work: @escaping @Sendable (APIRequest) throws -> APIResponse) async throws -> APIResponse {
        let query = request.query.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let roles = request.roles.map(\.rawValue).sorted().joined(separator: ",")
        let key = "\(request.method) \(request.path)?\(query)|\(roles)|\(request.chinese)|\(request.peer.auditName)"
        return try await jobs.run(kind, key: key, title: "\(request.method) \(request.path)", by: request.peer.auditName) { control in
            try control.checkCancelled()
            return try work(request)
        }
    }

    /// `GET /v1/jobs/:job`: a job running, waiting or among the last finished.
    func jobDetail(_ request: APIRequest) throws -> JobItem {
        let id = try Self.jobID(request)
        guard let job = jobs.item(id: id) else { throw Self.noJob(request.parameter("job")) }
        return job
    }

    /// `DELETE /v1/jobs/:job`: by someone who asked for the job, or an admin. Everyone waiting
    /// for it is answered 409 `cancelled`, naming who cancelled it.
    func cancelJob(_ request: APIRequest) throws -> JobItem {
        let id = try Self.jobID(request)
        let requesters = jobs.requesters(of: id)
        guard !requesters.isEmpty else { throw Self.noJob(request.parameter("job")) }
        guard requesters.contains(request.peer.auditName) || request.roles.contains(.admin) else {
            throw APIRefusal(.forbidden, "not-requester",
                             "job \(id) was asked for by \(requesters.joined(separator: ", ")); only they or an admin may cancel it",
                             zh: "任务 \(id) 由 \(requesters.joined(separator: "、")) 发起，只有发起人或管理员可以取消")
        }
        guard let cancelled = jobs.cancel(id: id, by: request.peer.auditName) else {
            throw APIRefusal(.conflict, "job-ended", "job \(id) has already ended; nothing was cancelled", zh: "任务 \(id) 已结束，未取消任何内容")
        }
        return cancelled
    }

    static func jobID(_ request: APIRequest) throws -> Int64 {
        guard let id = Int64(request.parameter("job")), id > 0 else { throw noJob(request.parameter("job")) }
        return id
    }

    static func noJob(_ number: String) -> APIRefusal {
        .notFound("no job \(number) is running, waiting or recently finished; `custodyctl jobs` lists them",
                  zh: "没有编号为 \(number) 的任务（运行中、排队中或最近结束的）；可用 `custodyctl jobs` 查看")
    }
}
