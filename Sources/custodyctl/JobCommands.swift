import ArgumentParser
import CustodyAPI
import Foundation

/// `custodyctl jobs`: the daemon's background jobs (fsck, audit verification), one job's state,
/// and cancelling one (who asked for it, or an admin).
struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Background jobs (fsck, audit verify): list them, show one, or cancel one.",
        subcommands: [List.self, Show.self, Cancel.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs running or waiting their turn, with their progress.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (jobs, raw) = try await options.client.get("/v1/jobs", as: [JobItem].self)
                if options.json { return printJSON(raw) }
                if jobs.isEmpty { return print(L10n.text("no background job is running or waiting", zh: "没有正在运行或排队的后台任务")) }
                let headers = L10n.chinese ? ["编号", "类型", "状态", "进度", "发起人"] : ["ID", "KIND", "STATE", "PROGRESS", "ASKED BY"]
                print(Format.table(headers, jobs.map { job in
                    ["\(job.id)", Jobs.kind(job.kind), Jobs.state(job.state), Jobs.progress(job), job.requestedBy.joined(separator: L10n.chinese ? "、" : ", ")]
                }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One job, running, waiting or recently finished.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job's number (custodyctl jobs).") var id: Int64
        func run() async throws {
            try await perform {
                let (job, raw) = try await options.client.get("/v1/jobs/\(id)", as: JobItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.field("Job", "任务", "\(job.id)"))
                print(L10n.field("Kind", "类型", Jobs.kind(job.kind)))
                print(L10n.field("State", "状态", Jobs.state(job.state)))
                print(L10n.field("Progress", "进度", Jobs.progress(job)))
                print(L10n.field("Asked by", "发起人", job.requestedBy.joined(separator: L10n.chinese ? "、" : ", ")))
                print(L10n.field("Queued at", "排队时间", Format.time(job.queuedAt)))
                if let started = job.startedAt { print(L10n.field("Started at", "开始时间", Format.time(started))) }
                if let by = job.cancelledBy { print(L10n.field("Cancelled by", "取消人", by)) }
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a job you asked for (an admin may cancel any).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job's number (custodyctl jobs).") var id: Int64
        func run() async throws {
            try await perform {
                let client = options.client
                let (job, raw) = try client.decode(try await client.send(.DELETE, "/v1/jobs/\(id)", body: nil, contentType: nil),
                                                   path: "/v1/jobs/\(id)", as: JobItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("job \(job.id) (\(job.kind)) cancelled", zh: "已取消任务 \(job.id)（\(Jobs.kind(job.kind))）"))
            }
        }
    }

    /// One line for `status`: "3 存储核查 运行中 120/480 uid:1001(viewer)".
    static func line(_ job: JobItem) -> String {
        "\(job.id) \(kind(job.kind)) \(state(job.state)) \(progress(job)) \(job.requestedBy.joined(separator: L10n.chinese ? "、" : ", "))"
    }

    static func progress(_ job: JobItem) -> String { job.total > 0 ? "\(job.done)/\(job.total)" : "-" }
    static func state(_ state: String) -> String { L10n.chinese ? Vocabulary.name(Vocabulary.jobStates, state) : state }
    static func kind(_ kind: String) -> String { L10n.chinese ? Vocabulary.name(Vocabulary.jobKinds, kind) : kind }
}
