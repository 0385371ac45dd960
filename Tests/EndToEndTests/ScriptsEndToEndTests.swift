import Foundation
import Testing

/// The shell parts of the deployment, run for real as part of `make test`: the camera mount
/// helper (ext4 images on loop devices, a real custodyd) and, when present, the Debian package.
@Suite("Deployment scripts", .serialized)
struct ScriptsEndToEndTests {
    static func script(_ path: String) -> String { DaemonHarness.packageRoot.appendingPathComponent(path).path }

    @Test("custody-mount mounts only allowed cameras read-only, nosuid, nodev, noexec, and unmounts when custodyd finished the dump")
    func mountHelper() throws {
        // The test process may hold SIGTERM ignored; the script sends it to the helper, so reset it.
        let result = try run("env", ["--default-signal", "bash", Self.script("scripts/test-custody-mount.sh")])
        let output = String(decoding: result.stdout + result.stderr, as: UTF8.self)
        #expect(result.status == 0 && output.contains("custody-mount test: PASS"), "\(output.suffix(3000))")
    }
}
