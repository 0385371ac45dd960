import Foundation

/// Reads every file back from an ISO image, a `stdio:` pseudo-drive or an
/// optical drive with xorriso (no kernel iso9660 driver needed), hashes it
/// with SHA-256 and compares with the catalog. Files are extracted in
/// batches (at most `batchBytes` of temporary space) and deleted after
/// hashing. Also runs `xorriso -check_md5` on the session.
public enum DiscVerifier {
    public static func verify(source: String, expected: [ExpectedFile], batchBytes: Int64 = 2 << 30,
                              timeout: TimeInterval = 4 * 3600) throws -> VerificationReport {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("custody-verify-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { removeTree(scratch) }

        let onDisc = try listFiles(source: source, timeout: timeout)
        let onDiscSet = Set(onDisc)
        var problems: [VerificationProblem] = []
        let expectedPaths = Set(expected.map(\.path))
        for path in onDisc where !expectedPaths.contains(path) {
            if path.hasPrefix("data/") || !DiscImageBuilder.rootFiles.contains(path) {
                problems.append(VerificationProblem(path: path, kind: .extra))
            }
        }

        // Manifest first, then the clips in batches.
        var manifestMatches = false
        let manifestDir = scratch.appendingPathComponent("manifest")
        _ = try extract(source: source, paths: [BagItFiles.manifestName], into: manifestDir, timeout: timeout)
        if let text = try? String(contentsOf: manifestDir.appendingPathComponent(BagItFiles.manifestName), encoding: .utf8) {
            let want = expected.sorted { $0.path < $1.path }.map { "\($0.sha256)  \($0.path)\n" }.joined()
            manifestMatches = text == want
        }

        var filesChecked = 0
        var bytesChecked: Int64 = 0
        var batch: [ExpectedFile] = []
        var batchSize: Int64 = 0
        let present = expected.sorted { $0.path < $1.path }.filter { file in
            if onDiscSet.contains(file.path) { return true }
            problems.append(VerificationProblem(path: file.path, kind: .missing))
            return false
        }
        func flush() throws {
            guard !batch.isEmpty else { return }
            let dir = scratch.appendingPathComponent("batch")
            let log = try extract(source: source, paths: batch.map(\.path), into: dir, timeout: timeout)
            for file in batch {
                let url = dir.appendingPathComponent(file.path)
                guard let (hex, size) = try? FileHasher.sha256(of: url) else {
                    problems.append(VerificationProblem(path: file.path, kind: .unreadable, actual: log))
                    continue
                }
                filesChecked += 1
                bytesChecked += size
                if size != file.sizeBytes {
                    problems.append(VerificationProblem(path: file.path, kind: .sizeMismatch,
                                                        expected: String(file.sizeBytes), actual: String(size)))
                } else if hex != file.sha256 {
                    problems.append(VerificationProblem(path: file.path, kind: .hashMismatch, expected: file.sha256, actual: hex))
                }
            }
            removeTree(dir)
            batch = []
            batchSize = 0
        }
        for file in present {
            if !batch.isEmpty, batchSize + file.sizeBytes > batchBytes || batch.count >= 256 { try flush() }
            batch.append(file)
            batchSize += file.sizeBytes
        }
        try flush()

        let md5 = try checkSessionMD5(source: source, timeout: timeout)
        return VerificationReport(source: source, filesChecked: filesChecked, bytesChecked: bytesChecked,
                                  problems: problems, md5Passed: md5.passed, md5Verdict: md5.verdict,
                                  manifestMatches: manifestMatches)
    }

    /// `xorriso -md5 on -indev SRC -check_md5 FAILURE --`: compares the session
    /// with the MD5 that `-md5 on` recorded when the image was built.
    public static func checkSessionMD5(source: String, timeout: TimeInterval = 4 * 3600) throws -> (passed: Bool, verdict: String) {
        let out = try ProcessRunner.run("xorriso", ["-no_rc", "-md5", "on", "-indev", source, "-check_md5", "FAILURE", "--"],
                                        timeout: timeout)
        let text = out.combined
        if out.timedOut { return (false, "timed out") }
        if out.status == 0, text.contains("Ok, session data match recorded md5") {
            return (true, "Ok, session data match recorded md5")
        }
        if text.contains("No session MD5 is recorded") { return (false, "no session MD5 recorded (image built without -md5 on)") }
        return (false, XorrisoText.problems(text))
    }

    /// Regular files in the image, as disc-relative paths ("data/x/y.mp4").
    static func listFiles(source: String, timeout: TimeInterval) throws -> [String] {
        let out = try ProcessRunner.run("xorriso", ["-no_rc", "-indev", source, "-find", "/", "-type", "f"], timeout: timeout)
        guard out.status == 0 else {
            throw DiscImageError.xorrisoFailed(status: out.status, detail: "cannot read the file tree of \(source): "
                                               + XorrisoText.problems(out.combined))
        }
        return out.stdout.split(separator: "\n").compactMap { line -> String? in
            guard line.count >= 3, line.hasPrefix("'/"), line.hasSuffix("'") else { return nil }
            return String(line.dropFirst(2).dropLast())
        }
    }

    /// Extracts disc-relative `paths` below `dir`; returns xorriso's problem lines.
    static func extract(source: String, paths: [String], into dir: URL, timeout: TimeInterval) throws -> String {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let args = ["-no_rc", "-osirrox", "on", "-indev", source, "-extract_l", "/", dir.path + "/"]
            + paths.map { "/" + $0 } + ["--"]
        let out = try ProcessRunner.run("xorriso", args, timeout: timeout)
        return out.status == 0 ? "" : XorrisoText.problems(out.combined)
    }

    /// Deletes a tree whose folders xorriso extracted read-only.
    static func removeTree(_ url: URL) {
        let fm = FileManager.default
        if let walker = fm.enumerator(atPath: url.path) {
            while let relative = walker.nextObject() as? String {
                let path = url.appendingPathComponent(relative).path
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
                    chmod(path, 0o755)
                }
            }
        }
        try? fm.removeItem(at: url)
    }
}
