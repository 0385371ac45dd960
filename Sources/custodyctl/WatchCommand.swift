import ArgumentParser
import CustodyAPI
import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import NIOPosix

/// `custodyctl watch`: live events from the daemon, with a progress bar per dump.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stream events: per-dump progress bars (files, bytes, rate, ETA) and alarms. Ctrl-C to stop.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "Return once no dump is being ingested (after at least one was seen, or at once if none is).")
    var untilIdle = false

    func run() async throws {
        try await perform {
            var screen = WatchScreen(tty: isatty(STDOUT_FILENO) == 1 && !options.json)
            let client = options.client
            _ = try? await client.get("/v1/me")  // learns the station's zone for the times printed
            var connected = false
            var lostAt: Date?
            // The daemon may go away (a restart, an upgrade): say so, and reconnect (item 8).
            while true {
                do {
                    let finished = try await client.stream("/v1/events") { line in
                        if options.json {
                            FileHandle.standardOutput.write(line + Data([0x0A]))
                        }
                        guard let event = try? APICoding.decoder().decode(EventItem.self, from: line) else { return true }
                        if !options.json { screen.show(event) } else { screen.track(event) }
                        // "hello" follows the dumps active at connect time; after it, idle means done.
                        if event.type == "hello" { screen.greeted = true }
                        return !(untilIdle && screen.greeted && screen.idle)
                    } onStart: {
                        if lostAt != nil {
                            Self.say(L10n.text("reconnected to custodyd at \(Format.time(Date()))", zh: "已于 \(Format.time(Date())) 重新连接 custodyd"),
                                     json: options.json)
                        } else if !options.json {
                            screen.banner()
                        }
                        (connected, lostAt) = (true, nil)
                        screen.restart()
                    }
                    if finished { return }
                    // Cut off for falling behind (a `missed` line): connect again at once.
                    if screen.missed { screen.missed = false; continue }
                } catch where connected {
                    // Lost mid-stream, or not back yet: keep trying below.
                }
                if lostAt == nil {
                    let now = Date()
                    lostAt = now
                    Self.say(L10n.text("custodyd went away at \(Format.time(now)); reconnecting every second (Ctrl-C to stop)",
                                       zh: "custodyd 已于 \(Format.time(now)) 断开，每秒重试连接（按 Ctrl-C 退出）"), json: options.json)
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// A line about the connection: on stdout for people, on stderr beside JSON events.
    static func say(_ line: String, json: Bool) {
        if json {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        } else {
            print(line)
            fflush(nil)
        }
    }
}

/// Renders events: finished dumps and alarms as permanent lines, active dumps as bars redrawn in place.
struct WatchScreen {
    let tty: Bool
    var active: [Int64: EventItem.Progress] = [:]
    /// Media being scanned before their dump starts.
    var scanning: Set<String> = []
    var drawn = 0
    var seenDump = false
    var greeted = false
    /// The daemon cut this listener off because it fell behind (a `missed` line): connect again.
    var missed = false

    var idle: Bool { active.isEmpty && scanning.isEmpty }

    /// A new connection: the daemon sends the dumps active now, then "hello".
    mutating func restart() {
        active = [:]
        scanning = []
        greeted = false
        drawn = 0
    }

    mutating func track(_ event: EventItem) {
        if event.type == "scanning", let root = event.message { scanning.insert(root) }
        if event.type == "scanned", let root = event.message { scanning.remove(root) }
        if event.type == "missed" { missed = true }
        guard let dump = event.dump else { return }
        seenDump = true
        if event.type == "dump" && event.message != "started" {
            active.removeValue(forKey: dump.dumpID)
        } else {
            active[dump.dumpID] = dump
        }
    }

    func banner() {
        print(L10n.text("watching custodyd (Ctrl-C to stop)", zh: "正在监视 custodyd（按 Ctrl-C 退出）"))
        fflush(nil)
    }

    mutating func show(_ event: EventItem) {
        track(event)
        var permanent: [String] = []
        if event.type == "scanning", let root = event.message {
            permanent.append(L10n.text("scanning ", zh: "正在扫描 ") + root)
        }
        if event.type == "alarm", let message = event.message {
            permanent.append(L10n.text("ALARM ", zh: "警报 ") + Format.time(event.at) + " " + message)
        }
        if event.type == "alert", let alert = event.alert {
            permanent.append(L10n.text("ALERT ", zh: "提醒 ") + Format.time(event.at) + " " + L10n.text(alert.message, zh: alert.messageZh))
        }
        if event.type == "job", let job = event.job, job.state != "running" {
            permanent.append(L10n.text("JOB ", zh: "后台任务 ") + Format.time(event.at) + " " + Jobs.line(job))
        }
        if event.type == "missed" {
            permanent.append(L10n.text("events were missed (this terminal fell behind); reconnecting", zh: "部分事件未能送达（终端处理过慢），正在重新连接"))
        }
        if event.type == "dump", let dump = event.dump {
            let state = event.message ?? dump.state
            permanent.append(L10n.text("dump \(dump.dumpID) \(state): ", zh: "导入 \(dump.dumpID) \(Self.stateName(state))：")
                             + "\(dump.filesDone)/\(dump.filesTotal) " + L10n.text("files", zh: "个文件") + ", \(dump.mountPoint)")
        }
        if tty && drawn > 0 { print("\u{1B}[\(drawn)A\u{1B}[J", terminator: "") }
        for line in permanent { print(line) }
        let bars = active.values.sorted { $0.dumpID < $1.dumpID }.map(Self.bar)
        for bar in bars { print(bar) }
        drawn = tty ? bars.count : 0
        fflush(nil)
    }

    static func stateName(_ state: String) -> String {
        ["started": "开始", "complete": "完成", "interrupted": "中断", "refused": "拒收", "paused": "暂停", "copying": "复制中"][state] ?? state
    }

    /// `#3 cam1 [#######.......]  52% 26/50 12.3/23.5 MB 18.2 MB/s ETA 0:05` — fits 80 columns.
    static func bar(_ p: EventItem.Progress) -> String {
        let fraction = p.bytesTotal > 0 ? Double(p.bytesDone) / Double(p.bytesTotal) : (p.filesTotal > 0 ? Double(p.filesDone) / Double(p.filesTotal) : 0)
        let width = 20
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        let name = String((p.mountPoint as NSString).lastPathComponent.prefix(10))
        let eta: String
        if p.bytesPerSecond > 0 && p.bytesTotal > p.bytesDone {
            let seconds = Int(Double(p.bytesTotal - p.bytesDone) / p.bytesPerSecond)
            eta = String(format: "%d:%02d", seconds / 60, seconds % 60)
        } else {
            eta = "-"
        }
        let paused = p.state == "paused" ? L10n.text(" PAUSED", zh: " 已暂停") : ""
        return "#\(p.dumpID) \(name) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + String(format: "%3.0f%% ", fraction * 100) + "\(p.filesDone)/\(p.filesTotal) "
            + "\(Format.bytes(p.bytesDone))/\(Format.bytes(p.bytesTotal)) \(Format.bytes(Int64(p.bytesPerSecond)))/s ETA \(eta)\(paused)"
    }
}

extension SocketClient {
    /// GETs a streaming endpoint and hands each line to `onLine` until it returns false (then
    /// true is returned) or the stream ends (false).
    func stream(_ path: String, onLine: @escaping (Data) -> Bool, onStart: () -> Void) async throws -> Bool {
        let channel = try await connect()
        onStart()
        return try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "custodyd")
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)))
            try await outbound.write(.end(nil))
            var pending = Data()
            for try await part in inbound {
                switch part {
                case .head(let head):
                    guard head.status == .ok else { throw ClientError(description: "custodyd answered \(head.status) for \(path)") }
                case .body(let buffer):
                    pending.append(contentsOf: buffer.readableBytesView)
                    while let newline = pending.firstIndex(of: 0x0A) {
                        let line = pending[pending.startIndex..<newline]
                        pending = pending[(newline + 1)...]
                        if !onLine(Data(line)) { return true }
                    }
                case .end:
                    return false
                }
            }
            return false
        }
    }
}
