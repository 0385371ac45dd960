// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Custody",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "custodyd", targets: ["custodyd"]),
        .executable(name: "custodyctl", targets: ["custodyctl"]),
        // For the fuzz targets in Fuzz/ (their own package, built with -sanitize=fuzzer).
        .library(name: "CustodyCore", targets: ["CustodyCore"]),
        .library(name: "CustodyConfigFile", targets: ["CustodyConfigFile"]),
        .library(name: "CustodyCatalog", targets: ["CustodyCatalog"]),
        .library(name: "CustodyIngest", targets: ["CustodyIngest"]),
        .library(name: "CustodyServer", targets: ["CustodyServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The admin API's HTTP server and route table. No traits: swift-configuration is not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        .target(name: "CCustodyLinux"),
        .target(name: "CustodyCore"),
        .target(name: "CustodyCatalog", dependencies: [
            "CustodyCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "CustodyIngest", dependencies: [
            "CustodyCore", "CustodyCatalog", "CCustodyLinux",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The TOML config loader on its own, so the fuzz package can build it without NIO or GRDB.
        .target(name: "CustodyConfigFile", dependencies: [
            "CustodyCore", .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "CustodyArchive", dependencies: [
            "CustodyCore",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "CustodyAPI"),
        .target(name: "CustodyServer", dependencies: [
            "CustodyCore", "CustodyCatalog", "CustodyIngest", "CustodyArchive", "CustodyAPI", "CCustodyLinux",
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "custodyd", dependencies: [
            "CustodyCore", "CustodyCatalog", "CustodyIngest", "CustodyServer", "CustodyConfigFile", "CCustodyLinux",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "custodyctl", dependencies: [
            "CustodyAPI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "CustodyCoreTests", dependencies: ["CustodyCore"]),
        .testTarget(name: "CustodyCatalogTests", dependencies: ["CustodyCatalog", "CustodyCore"]),
        .testTarget(name: "CustodyIngestTests", dependencies: ["CustodyIngest", "CustodyCatalog", "CustodyCore"]),
        .testTarget(name: "CustodyServerTests", dependencies: [
            "CustodyServer", "CustodyConfigFile", "CustodyCore", "CustodyAPI", "CustodyCatalog", "CustodyIngest",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "CustodyArchiveTests", dependencies: [
            "CustodyArchive", "CustodyCore", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // CustodyServer for its route table only: the role matrix test walks it against a real daemon.
        .testTarget(name: "EndToEndTests", dependencies: ["CustodyAPI", "CustodyServer", "CustodyCore"]),
        // `swift run -c release DiscPlanBench`: 100,000 queued clips planned onto DVD / BD sets.
        .executableTarget(name: "DiscPlanBench", dependencies: ["CustodyCore"], path: "Benchmarks/DiscPlanBench"),
        // `HashBench FILE [ROUNDS] [CHECK]`: SHA-256 (or XXH3-128) throughput of the copier's hashing ring
        // (make bench compares it with openssl).
        .executableTarget(name: "HashBench", dependencies: ["CustodyCore", "CustodyIngest"], path: "Benchmarks/HashBench"),
        // Benchmarks/catalog-bench.sh: a generated catalog of 1,000,000 clips, timed through a real custodyd.
        .executableTarget(name: "CatalogBench", dependencies: [
            "CustodyCore", "CustodyCatalog",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Benchmarks/CatalogBench"),
    ]
)
