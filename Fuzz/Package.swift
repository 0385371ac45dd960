// swift-tools-version:6.0
// libFuzzer targets for the parsers that read untrusted input: file-name grammars, the media
// probes, the ledger CSV reader, the TOML config loader and the working-day calendar file; and for
// the admin API's HTTP handling (FuzzHTTP: raw connection bytes to the daemon's real admin server,
// Hummingbird on a Unix socket, over a real catalog). Built by `make fuzz`
// with -sanitize=fuzzer; not part of the normal build.
import PackageDescription

let package = Package(
    name: "CustodyFuzz",
    dependencies: [
        .package(name: "Custody", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
    ] + ["FuzzGrammar", "FuzzProbe", "FuzzLedgerCSV", "FuzzCalendar"].map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "CustodyCore", package: "Custody")])
    } + [
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", .product(name: "CustodyConfigFile", package: "Custody")]),
        .executableTarget(name: "FuzzHTTP", dependencies: [
            "FuzzSupport",
            .product(name: "CustodyCore", package: "Custody"),
            .product(name: "CustodyCatalog", package: "Custody"),
            .product(name: "CustodyIngest", package: "Custody"),
            .product(name: "CustodyServer", package: "Custody"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ]
)
