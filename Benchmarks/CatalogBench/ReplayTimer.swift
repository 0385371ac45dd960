import CustodyCatalog
import Foundation

/// `CatalogBench replay --catalog PATH`: the provable-catalog checks on a generated catalog, in
/// this process (the daemon may run on the same file: both only read). Times the walk of the
/// chain alone (links, hashes, Merkle tree: what the start check does from genesis), the same
/// walk from a verified position at the end (what a later start does), and the full replay (every
/// row image replayed and every bound row compared: `audit verify`, `fsck`), with peak memory.
enum ReplayTimer {
    static func run(catalogPath: String) throws {
        let catalog = try Catalog(path: catalogPath, exclusive: false)
        let clock = ContinuousClock()
        var began = clock.now
        let walk = try catalog.scanChain(from: nil, prefixes: [])
        let walkSeconds = (clock.now - began).seconds
        say(String(format: "chain walk from genesis (links, hashes, RFC 6962 tree): %d rows in %.2f s (%.0f rows/s)%@",
                   walk.end.size, walkSeconds, Double(walk.end.size) / walkSeconds, walk.problem.map { " PROBLEM: \($0.message)" } ?? ""))
        began = clock.now
        let again = try catalog.scanChain(from: walk.end, prefixes: [])
        say(String(format: "chain walk from the last verified position (a later start): %d new rows in %.3f s",
                   again.end.size - walk.end.size, (clock.now - began).seconds))
        began = clock.now
        let verification = try catalog.verifyAudit()
        let replaySeconds = (clock.now - began).seconds
        say(String(format: "full replay (audit verify, fsck): %d audit rows replayed, %d bound rows compared in %.2f s; %@",
                   verification.rows, verification.boundRowsChecked, replaySeconds,
                   verification.valid ? "catalog agrees with its chain" : "FINDINGS: \(verification.problem ?? "")"))
        say("peak memory of this process (VmHWM): \(peakMiB()) MiB")
        if !verification.valid { throw BenchError("the generated catalog does not verify: \(verification.problem ?? "")") }
    }

    static func peakMiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = line.split(separator: " ").compactMap({ Int($0) }).first else { return -1 }
        return kb / 1024
    }
}
