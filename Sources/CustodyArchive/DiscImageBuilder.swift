import Foundation

public enum DiscImageError: Error, Equatable, CustomStringConvertible {
    case sourceMissing(path: String)
    case sourceSizeMismatch(path: String, expected: Int64, actual: Int64)
    case unsafePath(String)
    case duplicateTarget(String)
    case xorrisoFailed(status: Int32, detail: String)
    case xorrisoTimedOut(seconds: Int)

    public var description: String {
        switch self {
        case let .sourceMissing(path): return "clip missing from the store: \(path)"
        case let .sourceSizeMismatch(path, expected, actual):
            return "clip \(path) has \(actual) bytes, catalog says \(expected)"
        case let .unsafePath(path): return "path cannot be passed to xorriso safely (quote or line break): \(path)"
        case let .duplicateTarget(path): return "two clips map to the same disc path: \(path)"
        case let .xorrisoFailed(status, detail): return "xorriso failed to build the ISO image (exit \(status)): \(detail)"
        case let .xorrisoTimedOut(seconds): return "xorriso did not finish building the ISO image within \(seconds) s"
        }
    }
}

/// Facts about a built image.
public struct DiscImageInfo: Sendable, Equatable {
    public var imageURL: URL
    public var volumeID: String
    public var sizeBytes: Int64
    /// SHA-256 of manifest-sha256.txt, printed on the labels.
    public var manifestSHA256: String
}

/// Builds an ISO 9660 + Joliet + Rock Ridge image with xorriso. Clips are
/// mapped straight from the store (`-map source target`); only the small
/// BagIt text files are written to a staging folder. All file dates and
/// volume dates are set to the label's time made, owners to 0 and modes to
/// read-only, so the same content gives a byte-identical image.
public enum DiscImageBuilder {
    public static let rootTextFiles = ["bagit.txt", "bag-info.txt", BagItFiles.manifestName, "README.txt", "AUDIT-HEAD.txt"]
    /// The papers that explain the disc: the index of every file and an evidence sheet per clip.
    public static let documentFiles = [DiscIndex.csvName, DiscIndex.htmlName, DiscIndex.pdfName, DiscIndex.sheetsName]
    /// SHA-256 of every file at the root, so the index and sheets can be checked like the clips.
    public static let tagManifestName = "tagmanifest-sha256.txt"
    /// Every file the builder puts at the disc root.
    public static var rootFiles: [String] { rootTextFiles + documentFiles + [tagManifestName] }

    @discardableResult
    public static func build(content: DiscSetContent, outputISO: URL, timeout: TimeInterval = 4 * 3600) throws -> DiscImageInfo {
        let fm = FileManager.default
        try checkSources(content)
        let staging = fm.temporaryDirectory.appendingPathComponent("custody-stage-\(UUID().uuidString)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }

        let manifest = BagItFiles.manifest(content)
        let texts: [String: String] = [
            "bagit.txt": BagItFiles.bagit(),
            "bag-info.txt": BagItFiles.bagInfo(content),
            BagItFiles.manifestName: manifest,
            "README.txt": BagItFiles.readme(content),
            "AUDIT-HEAD.txt": BagItFiles.auditHead(content),
        ]
        for (name, text) in texts {
            try Data(text.utf8).write(to: staging.appendingPathComponent(name))
        }
        try writeDocuments(content, into: staging)
        // Clip maps go through an options file: no argv size limit, and the
        // names are free of quotes and line breaks (checked above).
        let maps = content.files.map { "-map '\($0.sourcePath)' '/\($0.discPath)'\n" }.joined()
        let mapsFile = staging.appendingPathComponent("maps.xorriso")
        try Data(maps.utf8).write(to: mapsFile)

        let partial = outputISO.deletingLastPathComponent()
            .appendingPathComponent("." + outputISO.lastPathComponent + ".partial")
        try? fm.removeItem(at: partial)
        let stamp = xorrisoTimestamp(content.label.madeAt)
        var args = ["-no_rc", "-abort_on", "FAILURE", "-local_charset", "UTF-8",
                    "-outdev", "stdio:" + partial.path,
                    "-volid", content.volumeID,
                    "-joliet", "on", "-rockridge", "on", "-md5", "on",
                    "-compliance", "iso_9660_level=3",
                    "-volume_date", "all_file_dates", stamp,
                    "-volume_date", "c", stamp, "-volume_date", "m", stamp,
                    "-volume_date", "uuid", stamp]
        for name in rootFiles {
            args += ["-map", staging.appendingPathComponent(name).path, "/" + name]
        }
        args += ["-options_from_file", mapsFile.path,
                 "-chmod_r", "a-w,a+r", "/", "--",
                 "-chown_r", "0", "/", "--", "-chgrp_r", "0", "/", "--",
                 "-commit"]
        let output = try ProcessRunner.run("xorriso", args, timeout: timeout)
        if output.timedOut {
            try? fm.removeItem(at: partial)
            throw DiscImageError.xorrisoTimedOut(seconds: Int(timeout))
        }
        guard output.status == 0, fm.fileExists(atPath: partial.path) else {
            try? fm.removeItem(at: partial)
            throw DiscImageError.xorrisoFailed(status: output.status, detail: XorrisoText.problems(output.combined))
        }
        try? fm.removeItem(at: outputISO)
        try fm.moveItem(at: partial, to: outputISO)
        let size = (try fm.attributesOfItem(atPath: outputISO.path)[.size] as? NSNumber)?.int64Value ?? 0
        return DiscImageInfo(imageURL: outputISO, volumeID: content.volumeID, sizeBytes: size,
                             manifestSHA256: SHA256Hasher.hex(of: Data(manifest.utf8)))
    }

    /// The index (CSV, HTML, PDF), the evidence sheets (PDF) and the tag manifest over every root
    /// file. PDFs carry the time the disc was made as their creation date, so a rebuilt image is
    /// byte-identical.
    static func writeDocuments(_ content: DiscSetContent, into staging: URL) throws {
        try DiscIndex.csv(content).write(to: staging.appendingPathComponent(DiscIndex.csvName))
        let index = DiscIndex.document(content)
        try Data(index.html().utf8).write(to: staging.appendingPathComponent(DiscIndex.htmlName))
        try PDFRenderer.write(pages: index.svgPages(), to: staging.appendingPathComponent(DiscIndex.pdfName), madeAt: content.label.madeAt)
        try PDFRenderer.write(pages: LabelRenderer.evidenceSheets(content: content), to: staging.appendingPathComponent(DiscIndex.sheetsName),
                              madeAt: content.label.madeAt)
        var lines: [String] = []
        for name in (rootTextFiles + documentFiles).sorted() {
            let (hex, _) = try FileHasher.sha256(of: staging.appendingPathComponent(name))
            lines.append("\(hex)  \(name)\n")
        }
        try Data(lines.joined().utf8).write(to: staging.appendingPathComponent(tagManifestName))
    }

    /// SHA-256 of the manifest that `build` writes for `content`.
    public static func manifestSHA256(of content: DiscSetContent) -> String {
        SHA256Hasher.hex(of: Data(BagItFiles.manifest(content).utf8))
    }

    static func checkSources(_ content: DiscSetContent) throws {
        var seen = Set<String>()
        for file in content.files {
            for path in [file.sourcePath, file.discPath] where path.contains("'") || path.contains("\n") || path.contains("\r") {
                throw DiscImageError.unsafePath(path)
            }
            guard seen.insert(file.discPath.lowercased()).inserted else {
                throw DiscImageError.duplicateTarget(file.discPath)
            }
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: file.sourcePath) else {
                throw DiscImageError.sourceMissing(path: file.sourcePath)
            }
            let actual = (attributes[.size] as? NSNumber)?.int64Value ?? -1
            if actual != file.sizeBytes {
                throw DiscImageError.sourceSizeMismatch(path: file.sourcePath, expected: file.sizeBytes, actual: actual)
            }
        }
    }

    /// xorriso's YYYYMMDDhhmmsscc in UTC.
    static func xorrisoTimestamp(_ date: Date) -> String {
        DiscFileNamer.format(date, "yyyyMMddHHmmss", TimeZone(identifier: "UTC")!) + "00"
    }
}

/// Helpers for reading xorriso's messages.
enum XorrisoText {
    /// The FAILURE/SORRY/FATAL lines, or the output's tail when there are none.
    static func problems(_ text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init).filter {
            $0.contains("FAILURE") || $0.contains("SORRY") || $0.contains("FATAL") || $0.contains("MISMATCH")
        }
        return lines.isEmpty ? ProcessRunner.tail(text) : lines.suffix(6).joined(separator: " | ")
    }
}
