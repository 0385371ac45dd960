// swift-tools-version:6.0
// libFuzzer targets for the parsers that read untrusted input: file-name grammars, the media
// probes, the ledger CSV reader, the TOML config loader and the working-day calendar file. Built by `make fuzz` with -sanitize=fuzzer; not part of the
// normal build.
import PackageDescription

let package = Package(
    name: "CustodyFuzz",
    dependencies: [.package(name: "Custody", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
    ] + ["FuzzGrammar", "FuzzProbe", "FuzzLedgerCSV", "FuzzCalendar"].map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "CustodyCore", package: "Custody")])
    } + [
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", .product(name: "CustodyConfigFile", package: "Custody")]),
    ]
)
