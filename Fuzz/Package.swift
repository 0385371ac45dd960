// swift-tools-version:6.0
// libFuzzer targets for the parsers that read untrusted input: file-name grammars, the media
// probes and the ledger CSV reader. Built by `make fuzz` with -sanitize=fuzzer; not part of the
// normal build.
import PackageDescription

let package = Package(
    name: "CustodyFuzz",
    dependencies: [.package(name: "Custody", path: "..")],
    targets: [
        .executableTarget(name: "FuzzGrammar", dependencies: [.product(name: "CustodyCore", package: "Custody")]),
        .executableTarget(name: "FuzzProbe", dependencies: [.product(name: "CustodyCore", package: "Custody")]),
        .executableTarget(name: "FuzzLedgerCSV", dependencies: [.product(name: "CustodyCore", package: "Custody")]),
    ]
)
