import Foundation
import Testing

/// Power loss in the middle of a camera dump, for real: the store and the catalog live on lossyfs
/// (tools/lossyfs, a FUSE layer that throws away every write not made durable, new names included
/// until their directory is fsynced). scripts/power-loss-trials.sh records what custodyd has
/// acknowledged, cuts the power at a random moment (SIGSTOP, crash or crash-partial, SIGKILL),
/// restarts it on what survived with the camera held back, then lets the dump resume. Root + FUSE.
@Suite("Power loss end to end", .serialized)
struct PowerLossEndToEndTests {
    static let root = DaemonHarness.packageRoot

    @Test("every clip acknowledged before a power cut is still cataloged after restart, fsck stays consistent, and the resumed dump catalogs every file",
          .timeLimit(.minutes(10)))
    func acknowledgedClipsSurvivePowerLoss() throws {
        let lossyfsDir = Self.root.appendingPathComponent("tools/lossyfs").path
        let lossyfs = lossyfsDir + "/lossyfs"
        if !FileManager.default.isExecutableFile(atPath: lossyfs) {
            let make = try run("make", ["-C", lossyfsDir], env: nil)
            try #require(make.status == 0, "make -C tools/lossyfs: \(String(decoding: make.stdout + make.stderr, as: UTF8.self).suffix(2000))")
        }
        let script = Self.root.appendingPathComponent("scripts/power-loss-trials.sh").path
        // The test process may hold SIGTERM ignored; the script stops custodyd with it, so reset it.
        let result = try run("env", ["--default-signal", "bash", script, "5", DaemonHarness.binDir.path, lossyfs], env: nil)
        let stdout = String(decoding: result.stdout, as: UTF8.self)
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        let summary = stdout.split(separator: "\n").last { $0.hasPrefix("trials, inconsistencies:") }.map(String.init) ?? "(no summary line)"
        // trials, inconsistencies: 5, 0; acknowledged-before-cut: X, survived: Y; elapsed: ...
        func figure(after label: String) -> Int? {
            guard let range = summary.range(of: label) else { return nil }
            return Int(summary[range.upperBound...].prefix { $0.isNumber })
        }
        #expect(result.status == 0, "exit \(result.status): \(summary)\n\(stderr.suffix(4000))")
        #expect(summary.hasPrefix("trials, inconsistencies: 5, 0;"), "\(summary)\n\(stderr.suffix(4000))")
        #expect(figure(after: "acknowledged-before-cut: ") == figure(after: "survived: "), "\(summary)")
    }
}
