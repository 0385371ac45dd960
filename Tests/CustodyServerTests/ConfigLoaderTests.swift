import CustodyCore
import Foundation
import Testing
@testable import CustodyConfigFile

@Suite("Configuration file")
struct ConfigLoaderTests {
    static let minimal = """
        [paths]
        store = "store"
        catalog = "catalog.sqlite"
        socket = "/run/custody/custodyd.sock"
        spool = "spool"
        [watch]
        mount_roots = ["media"]
        drop_dirs = []
        [policy]
        upload_deadline_hours = 24
        retention_months = 12
        [station]
        unit = "某某分局"
        """

    @Test("a config with only the contract's keys runs with defaults for everything else")
    func minimalConfig() throws {
        let config = try ConfigLoader.parse(Self.minimal, baseDirectory: "/srv/custody")
        #expect(config.paths.store == "/srv/custody/store")
        #expect(config.paths.socket == "/run/custody/custodyd.sock")
        #expect(config.watch.mountRoots == ["/srv/custody/media"])
        #expect(config.grammars == FileNameGrammar.defaults)
        #expect(config.ingest.reserveBytes == 512 << 20)
        #expect(config.station.unit == "某某分局")
    }

    @Test("[ingest] read_back: SHA-256 unless the administrator chooses XXH3-128")
    func readBackCheck() throws {
        #expect(try ConfigLoader.parse(Self.minimal, baseDirectory: "/srv").ingest.readBack == .sha256)
        let chosen = try ConfigLoader.parse(Self.minimal + "\n[ingest]\nread_back = \"xxh3-128\"\n", baseDirectory: "/srv")
        #expect(chosen.ingest.readBack == .xxh3)
    }

    @Test("the shipped default config parses")
    func shippedDefault() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("etc/custody/custodyd.toml").path
        let config = try ConfigLoader.load(path: path)
        #expect(config.grammars.count == 2)
        #expect(config.station.timeZone == "Asia/Shanghai")
    }

    @Test("mistakes are refused with the key and the fix named", arguments: [
        (minimal.replacingOccurrences(of: "store = \"store\"", with: "store = 1"), "store must be a string"),
        (minimal + "\n[policy2]\nx = 1", "policy2 is not a known setting"),
        (minimal.replacingOccurrences(of: "retention_months = 12", with: "retention_month = 12"), "retention_month is not a known setting"),
        (minimal.replacingOccurrences(of: "[station]\nunit = \"某某分局\"", with: ""), "section [station] is missing"),
        (minimal + "\n[[grammar]]\nname = \"x\"\npattern = \"{serail}.{ext}\"", "{serail}"),
        ("this is = = not toml", "TOML syntax error at line 1"),
        // Found by FuzzConfig: a control character in a table header made toml++ abort the process.
        ("[\u{1B}\0\0\0paths]\nstore=\"s\"\n", "line 1 holds the control character U+001B"),
        (minimal + "\n[dis\u{1B}\0\0\0media]\n", "control character U+001B"),
        (minimal + "\n[#atch]\nx = 1\n", "is not a table header"),
        (minimal + "\n[\u{05C7}\n", "is not a table header"),
        (minimal + "\n[a.#b]\nx = 1\n", "is not a table header"),
        (minimal + "\n[ingest]\nread_back = \"md5\"\n", "[ingest] read_back \"md5\" is not a known check; use \"sha256\" or \"xxh3-128\""),
        (minimal + "\n[[\ngrammar]]\nname = \"x\"\n", "line \(minimal.split(separator: "\n", omittingEmptySubsequences: false).count + 1) is not a table header"),
    ])
    func mistakes(text: String, expected: String) {
        do {
            _ = try ConfigLoader.parse(text)
            Issue.record("accepted a bad config: \(text)")
        } catch {
            #expect("\(error)".contains(expected), "message was: \(error)")
        }
    }

    @Test("a missing config file says so and points at the documented default")
    func missingFile() {
        #expect(throws: ConfigError.self) { _ = try ConfigLoader.load(path: "/nonexistent/custodyd.toml") }
    }
}
