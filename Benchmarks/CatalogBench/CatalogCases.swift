import Foundation

/// The requests the performance issue names, with its targets, plus a few neighbours for context.
extension LatencyRun {
    static func catalogCases(socket path: String, options: [String: String]) throws {
        let requests = options["requests"].flatMap(Int.init) ?? 200
        let reportRequests = options["report-requests"].flatMap(Int.init) ?? requests
        let deadlineRequests = options["deadline-requests"].flatMap(Int.init) ?? requests
        let run = LatencyRun(socket: SocketGet(socketPath: path), warmup: options["warmup"].flatMap(Int.init) ?? 10)
        let (month, first, last) = try monthBounds(options["month"])
        let officers = options["officers"].flatMap(Int.init) ?? 200
        let badge = { (i: Int) in String(format: "%06d", 10_001 + (i * 37) % officers) }
        let hashes = try run.someHashes()
        let middle = try run.someHashes(offset: 499_999, limit: 1)[0]
        let cases: [Case] = [
            Case(name: "status", target: { _ in "/v1/status" }, limitMillis: 20, requests: requests),
            Case(name: "clips list, one officer, one month, limit 100",
                 target: { "/v1/clips?officer=\(badge($0))&from=\(first)&to=\(last)&limit=100" }, limitMillis: 20, requests: requests),
            Case(name: "clips list, first page, limit 100", target: { _ in "/v1/clips?limit=100" }, limitMillis: nil, requests: requests),
            Case(name: "clips list, one month, late only, limit 100", target: { _ in "/v1/clips?from=\(first)&to=\(last)&late=true&limit=100" },
                 limitMillis: nil, requests: requests),
            Case(name: "clips list, one device, flag no-handover, limit 100",
                 target: { "/v1/clips?device=A7K\(2_000 + ($0 * 7) % 250)&flag=no-handover&limit=100" }, limitMillis: nil, requests: requests),
            Case(name: "clips list, page 5001 by offset=500000, limit 100", target: { _ in "/v1/clips?limit=100&offset=500000" },
                 limitMillis: nil, requests: max(10, requests / 10)),
            Case(name: "clips list, page 5001 by after=<clip 500000>, limit 100", target: { _ in "/v1/clips?limit=100&after=\(middle)" },
                 limitMillis: nil, requests: requests),
            Case(name: "clips show (provenance, audit rows)", target: { "/v1/clips/\(hashes[$0 % hashes.count])" }, limitMillis: nil,
                 requests: requests),
            Case(name: "compliance report, \(month) (JSON)", target: { _ in "/v1/reports/compliance?period=\(month)" }, limitMillis: 1000,
                 requests: reportRequests),
            Case(name: "deadlines (the watch's scan + capacity)", target: { _ in "/v1/deadlines" }, limitMillis: nil, requests: deadlineRequests),
        ]
        var rows: [(LatencySample, Double?)] = []
        for c in cases {
            let sample = try run.measure(c)
            let name = c.name.padding(toLength: 56, withPad: " ", startingAt: 0)
            say("  " + name + String(format: " p50 %8.1f ms  p99 %8.1f ms", sample.percentile(50), sample.percentile(99)))
            rows.append((sample, c.limitMillis))
        }
        say()
        say(table(rows))
    }

    /// `2026-10` → ("2026-10", "2026-10-01", "2026-10-31"); the month before the current one by default.
    static func monthBounds(_ text: String?) throws -> (String, String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let month: DateComponents
        if let text {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2 else { throw BenchError("--month must be like 2026-10") }
            month = DateComponents(year: parts[0], month: parts[1])
        } else {
            let previous = calendar.date(byAdding: .month, value: -1, to: Date())!
            month = calendar.dateComponents([.year, .month], from: previous)
        }
        let start = calendar.date(from: month)!
        let days = calendar.range(of: .day, in: .month, for: start)!.count
        let y = month.year!, m = month.month!
        return (String(format: "%04d-%02d", y, m), String(format: "%04d-%02d-01", y, m), String(format: "%04d-%02d-%02d", y, m, days))
    }

    /// A few hundred clip hashes from the middle of the catalog, for `clips show`.
    func someHashes(offset: Int = 400_000, limit: Int = 200) throws -> [String] {
        let (status, body) = try socket.getBody("/v1/clips?limit=\(limit)&offset=\(offset)")
        guard status == 200, let list = try JSONSerialization.jsonObject(with: Data(body)) as? [[String: Any]] else {
            throw BenchError("could not list clips (status \(status))")
        }
        let hashes = list.compactMap { $0["sha256"] as? String }
        guard !hashes.isEmpty else { throw BenchError("the catalog has no clip at offset \(offset)") }
        return hashes
    }
}
