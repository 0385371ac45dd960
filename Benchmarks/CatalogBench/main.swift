import Foundation

// `swift run -c release CatalogBench generate|measure …`: the catalog at a million clips
// (performance issue). Benchmarks/catalog-bench.sh runs both around a real release custodyd.

let usage = """
    usage: CatalogBench generate --catalog PATH --store DIR [--clips N] [--seed N] [--calendar FILE] [--now EPOCH]
           CatalogBench measure --socket PATH [--requests N] [--report-requests N] [--deadline-requests N] [--warmup N] [--month YYYY-MM]
           CatalogBench replay --catalog PATH
    """

var arguments = Array(CommandLine.arguments.dropFirst())
guard let command = arguments.first else { print(usage); exit(2) }
arguments.removeFirst()
var options: [String: String] = [:]
while arguments.count >= 2, arguments[0].hasPrefix("--") {
    options[String(arguments[0].dropFirst(2))] = arguments[1]
    arguments.removeFirst(2)
}
guard arguments.isEmpty else { print("unexpected: \(arguments.joined(separator: " "))\n" + usage); exit(2) }

/// A line on stdout at once (print is block-buffered when piped, and progress should show).
func say(_ line: String = "") {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

do {
    switch command {
    case "generate":
        guard let catalog = options["catalog"], let store = options["store"] else { print(usage); exit(2) }
        var generation = CatalogGeneration(catalogPath: catalog, storeRoot: store)
        if let n = options["clips"].flatMap(Int.init) { generation.clipCount = n }
        if let n = options["seed"].flatMap(UInt64.init) { generation.seed = n }
        if let t = options["now"].flatMap(Double.init) { generation.now = Date(timeIntervalSince1970: t) }
        generation.calendarPath = options["calendar"]
        try await generation.run()
    case "replay":
        guard let catalog = options["catalog"] else { print(usage); exit(2) }
        try ReplayTimer.run(catalogPath: catalog)
    case "measure":
        guard let socket = options["socket"] else { print(usage); exit(2) }
        try LatencyRun.catalogCases(socket: socket, options: options)
    default:
        print(usage)
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("CatalogBench: \(error)\n".utf8))
    exit(1)
}
