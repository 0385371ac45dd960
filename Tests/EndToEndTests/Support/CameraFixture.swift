// CameraFixture.swift — a realistic, deterministic body-camera dump: staged as a
// host directory tree, then packed into a FAT32 (or exFAT) image without mounting.

import Foundation

/// One file of a camera dump.
public struct CameraClipSpec: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case video, photo, audio, text, other }

    /// Which naming grammar produced the path.
    public enum Grammar: String, Sendable, Hashable {
        /// `DCIM/100MEDIA/{badge}_{serial}_{yyyyMMddHHmmss}_{seq}[IMP].MP4`
        case media
        /// `DCIM/10xANDRO/{serial}/{badge}/{yyyyMMdd}/{yyyyMMddHHmmss}_{seq}[IMP].MP4`
        case andro
        /// Anything else (sn.txt, hand-made specs).
        case none
    }

    /// Path inside the volume, '/'-separated, no leading slash (e.g. "DCIM/100MEDIA/x.MP4").
    public var relativePath: String
    public var bytes: [UInt8]

    public var kind: Kind
    public var grammar: Grammar
    /// Start of recording (absolute instant; the file name shows it as Asia/Shanghai wall clock).
    public var recordedAt: Date?
    /// Media duration (video/audio), nil otherwise.
    public var durationSeconds: Double?
    /// The `{seq}` in the name (1-based).
    public var sequence: Int?
    /// Name carries the `IMP` (important / flagged) marker.
    public var important: Bool
    /// mtime stamped on the staged file (and kept by `mcopy -m`).
    public var modificationDate: Date?

    public init(
        relativePath: String,
        bytes: [UInt8],
        kind: Kind? = nil,
        grammar: Grammar = .none,
        recordedAt: Date? = nil,
        durationSeconds: Double? = nil,
        sequence: Int? = nil,
        important: Bool = false,
        modificationDate: Date? = nil
    ) {
        self.relativePath = relativePath
        self.bytes = bytes
        self.kind = kind ?? CameraClipSpec.kind(forExtension: (relativePath as NSString).pathExtension)
        self.grammar = grammar
        self.recordedAt = recordedAt
        self.durationSeconds = durationSeconds
        self.sequence = sequence
        self.important = important
        self.modificationDate = modificationDate
    }

    public var fileName: String { (relativePath as NSString).lastPathComponent }

    public static func kind(forExtension ext: String) -> Kind {
        switch ext.lowercased() {
        case "mp4", "mov", "avi": return .video
        case "jpg", "jpeg": return .photo
        case "wav", "amr", "m4a": return .audio
        case "txt": return .text
        default: return .other
        }
    }
}

public struct CameraFixture: Sendable {
    /// Cameras stamp names with local wall-clock time; these are Chinese units.
    public static let timeZoneID = "Asia/Shanghai"
    public static let timeZone = TimeZone(identifier: timeZoneID)!

    /// 2026-11-27 22:40:00 in Asia/Shanghai (2026-11-27T14:40:00Z): the standard
    /// fixture's recordings run past midnight, so `yyyyMMdd` folders differ.
    public static let defaultStart = Date(timeIntervalSince1970: 1_795_790_400)

    /// Noon (Asia/Shanghai) `daysAgo` days before now: recordings that are recent on whatever day
    /// the test runs (deadline and report suites run under faketime at month ends and holidays),
    /// and that cannot cross a day, month or year boundary within a few hours of footage.
    public static func recentStart(daysAgo: Int = 2, now: Date = Date()) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let day = calendar.date(byAdding: .day, value: -daysAgo, to: now)!
        return calendar.date(bySettingHour: 12, minute: 0, second: 0, of: day)!
    }

    public var badge: String
    public var serial: String
    /// All files, including `sn.txt`, in generation order.
    public var clips: [CameraClipSpec]

    public init(badge: String, serial: String, clips: [CameraClipSpec]) {
        self.badge = badge
        self.serial = serial
        self.clips = clips
    }

    /// Media files only (everything except sn.txt / text).
    public var mediaClips: [CameraClipSpec] { clips.filter { $0.kind != .text } }
    public var totalBytes: Int { clips.reduce(0) { $0 + $1.bytes.count } }

    /// An image size (MiB) comfortably holding the files; at least 64 (FAT32 with
    /// 512-byte clusters needs ≥ ~33 MiB to reach the 65525-cluster minimum).
    public var recommendedImageSizeMB: Int {
        max(64, Int(Double(totalBytes) * 1.15 / 1_048_576) + 16)
    }

    public func clip(at relativePath: String) -> CameraClipSpec? {
        clips.first { $0.relativePath == relativePath }
    }

    // MARK: the standard dump

    /// A deterministic dump of `clipCount` recordings plus `sn.txt`:
    ///
    /// - clip i (0-based), seq = i+1 as 4 digits; kind: i%10==4 → JPG, i%10==8 → WAV, else MP4;
    ///   MP4 with i%5==1 carry `IMP`; MP4 with i%3==2 have `moov` after `mdat`.
    /// - even i → `DCIM/100MEDIA/{badge}_{serial}_{yyyyMMddHHmmss}_{seq}[IMP].{MP4|JPG|WAV}`
    /// - odd i → `DCIM/{100|101}ANDRO/{serial}/{badge}/{yyyyMMdd}/{yyyyMMddHHmmss}_{seq}[IMP].{ext}`
    ///   (100ANDRO for the first half of the clips, 101ANDRO for the second).
    /// - `sn.txt` at the root: "{badge}\r\n{serial}\r\n".
    /// - Times: Asia/Shanghai wall clock; recordings start at `start`, videos last 30–300 s,
    ///   gaps of 20–900 s. Photos/videos/audio payload sizes drawn from `payloadBytes`.
    /// - mtimes: end of recording (photos: the shot time); sn.txt: `start` − 30 days.
    /// Same arguments → byte-identical output.
    public static func standard(
        clipCount: Int = 50,
        badge: String = "010203",
        serial: String = "A7K2931",
        start: Date = CameraFixture.defaultStart,
        payloadBytes: ClosedRange<Int> = 20_000...400_000,
        seed: UInt64 = 0x00C0_57D1
    ) -> CameraFixture {
        var rng = DeterministicRNG(seed: seed)
        var clips: [CameraClipSpec] = []
        var t = Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))

        for i in 0..<clipCount {
            let seq = i + 1
            let clipSeed = seed &+ UInt64(seq) &* 0x9E37_79B9_7F4A_7C15
            let kind: CameraClipSpec.Kind = i % 10 == 4 ? .photo : (i % 10 == 8 ? .audio : .video)
            let important = kind == .video && i % 5 == 1
            let size = rng.int(in: payloadBytes)
            let stamp = wallClock(t, "yyyyMMddHHmmss")

            var bytes: [UInt8]
            var duration: Double?
            let ext: String
            switch kind {
            case .video:
                let ms = rng.int(in: 30_000...300_000)
                duration = Double(ms) / 1000
                bytes = MediaBytes.mp4(creation: t, durationSeconds: Double(ms) / 1000, payloadBytes: size,
                                       seed: clipSeed, moovFirst: i % 3 != 2)
                ext = "MP4"
            case .photo:
                bytes = MediaBytes.jpeg(dateTimeOriginal: wallClock(t, "yyyy:MM:dd HH:mm:ss"),
                                        payloadBytes: size, seed: clipSeed)
                ext = "JPG"
            default:
                let seconds = Double(max(1, size / 16_000))
                duration = seconds
                bytes = MediaBytes.wav(seconds: seconds, sampleRate: 8000, seed: clipSeed)
                ext = "WAV"
            }

            let seqText = pad(seq, 4)
            let suffix = important ? "IMP" : ""
            let path: String
            let grammar: CameraClipSpec.Grammar
            if i % 2 == 0 {
                grammar = .media
                path = "DCIM/100MEDIA/\(badge)_\(serial)_\(stamp)_\(seqText)\(suffix).\(ext)"
            } else {
                grammar = .andro
                let folder = i < clipCount / 2 ? "100ANDRO" : "101ANDRO"
                path = "DCIM/\(folder)/\(serial)/\(badge)/\(wallClock(t, "yyyyMMdd"))/\(stamp)_\(seqText)\(suffix).\(ext)"
            }

            let end = t.addingTimeInterval((duration ?? 0).rounded(.up))
            clips.append(CameraClipSpec(relativePath: path, bytes: bytes, kind: kind, grammar: grammar,
                                        recordedAt: t, durationSeconds: duration, sequence: seq,
                                        important: important, modificationDate: end))
            t = end.addingTimeInterval(TimeInterval(rng.int(in: 20...900)))
        }

        clips.insert(CameraClipSpec(relativePath: "sn.txt", bytes: Array("\(badge)\r\n\(serial)\r\n".utf8),
                                    kind: .text, modificationDate: start.addingTimeInterval(-30 * 86_400)),
                     at: 0)
        return CameraFixture(badge: badge, serial: serial, clips: clips)
    }

    // MARK: staging

    /// Writes every file under `dir` (created if needed) and stamps its mtime.
    public func writeTree(to dir: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        for clip in clips {
            let url = dir.appendingPathComponent(clip.relativePath)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(clip.bytes).write(to: url)
            if let m = clip.modificationDate {
                try fm.setAttributes([.modificationDate: m], ofItemAtPath: url.path)
            }
        }
    }

    // MARK: images

    /// Stages the tree (into `stagingDir`, kept; or a temporary sibling of `img`, removed)
    /// and packs it into a fresh FAT32 image. See `makeFAT32Image(from:at:sizeMB:label:)`.
    public func makeFAT32Image(at img: URL, sizeMB: Int, label: String? = "CAMERA", stagingDir: URL? = nil) throws {
        try withStaging(img: img, stagingDir: stagingDir) { dir in
            try CameraFixture.makeFAT32Image(from: dir, at: img, sizeMB: sizeMB, label: label)
        }
    }

    /// Stages the tree and packs it into a fresh exFAT image (needs loop devices + exfat-fuse).
    public func makeExFATImage(at img: URL, sizeMB: Int, label: String? = "CAMERA", stagingDir: URL? = nil) throws {
        try withStaging(img: img, stagingDir: stagingDir) { dir in
            try CameraFixture.makeExFATImage(from: dir, at: img, sizeMB: sizeMB, label: label)
        }
    }

    private func withStaging(img: URL, stagingDir: URL?, _ body: (URL) throws -> Void) throws {
        if let stagingDir {
            try writeTree(to: stagingDir)
            try body(stagingDir)
            return
        }
        let dir = img.deletingLastPathComponent().appendingPathComponent(img.lastPathComponent + ".staging")
        try? FileManager.default.removeItem(at: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeTree(to: dir)
        try body(dir)
    }

    /// Packs the contents of `dir` into a new FAT32 image, without mounting:
    ///
    ///     truncate -s {sizeMB}M IMG
    ///     mkfs.vfat -F 32 -i {volumeID} [-n LABEL] IMG
    ///     MTOOLS_SKIP_CHECK=1 TZ=Asia/Shanghai mcopy -s -m -Q -i IMG dir/<each entry> ::/
    ///
    /// mtimes are preserved (`-m`) and stored as Asia/Shanghai wall clock, like a camera.
    /// Note: with a label, fusefat lists the volume-label entry as a 0-byte root file named
    /// after it (e.g. "CAMERA"); pass `label: nil` to avoid it.
    public static func makeFAT32Image(
        from dir: URL,
        at img: URL,
        sizeMB: Int,
        label: String? = "CAMERA",
        volumeID: String = "CA3E0001"
    ) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: img.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: img.path) { try fm.removeItem(at: img) }
        try runChecked("truncate", ["-s", "\(sizeMB)M", img.path])
        var mkfs = ["-F", "32", "-i", volumeID]
        if let label { mkfs += ["-n", label.uppercased()] }
        try runChecked("mkfs.vfat", mkfs + [img.path])
        let entries = try fm.contentsOfDirectory(atPath: dir.path).sorted()
        guard !entries.isEmpty else { return }
        try runChecked("mcopy", ["-s", "-m", "-Q", "-i", img.path]
                       + entries.map { dir.appendingPathComponent($0).path } + ["::/"],
                       env: mtoolsEnv)
    }

    /// Adds one host file to an existing FAT32 image at `imagePath` (e.g.
    /// "DCIM/100MEDIA/NEW.MP4"), creating folders with `mmd` as needed.
    public static func addFile(_ file: URL, toFAT32Image img: URL, at imagePath: String) throws {
        let parts = imagePath.split(separator: "/").map(String.init)
        var dir = ""
        for p in parts.dropLast() {
            dir += "/" + p
            let exists = try run("mdir", ["-i", img.path, "-b", "::" + dir], env: mtoolsEnv).status == 0
            if !exists { try runChecked("mmd", ["-i", img.path, "::" + dir], env: mtoolsEnv) }
        }
        try runChecked("mcopy", ["-m", "-o", "-i", img.path, file.path, "::/" + parts.joined(separator: "/")],
                       env: mtoolsEnv)
    }

    /// Packs the contents of `dir` into a new exFAT image. exFAT cannot be filled
    /// offline here, so it is mounted read-write through a loop device:
    ///
    ///     truncate -s {sizeMB}M IMG && mkfs.exfat [-L LABEL] IMG
    ///     losetup -f --show IMG → /dev/loopN; mount.exfat-fuse -o rw /dev/loopN IMG.fill-mnt
    ///     cp -r --preserve=timestamps dir/. IMG.fill-mnt/ ; fusermount -u ; losetup -d
    public static func makeExFATImage(from dir: URL, at img: URL, sizeMB: Int, label: String? = "CAMERA") throws {
        let fm = FileManager.default
        try fm.createDirectory(at: img.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: img.path) { try fm.removeItem(at: img) }
        try runChecked("truncate", ["-s", "\(sizeMB)M", img.path])
        try runChecked("mkfs.exfat", (label.map { ["-L", $0] } ?? []) + [img.path])
        let mnt = URL(fileURLWithPath: img.path + ".fill-mnt", isDirectory: true)
        let m = try FuseMount.mountExFAT(image: img, at: mnt, readOnly: false)
        do {
            try runChecked("cp", ["-r", "--preserve=timestamps", dir.path + "/.", mnt.path + "/"])
        } catch {
            try? m.unmount()
            throw error
        }
        try m.unmount()
        try? fm.removeItem(at: mnt)
    }

    static let mtoolsEnv = ["MTOOLS_SKIP_CHECK": "1", "TZ": timeZoneID]

    // MARK: time helpers

    /// Formats `date` as Asia/Shanghai wall clock. Supports the tokens yyyy MM dd HH mm ss;
    /// everything else is copied literally (e.g. "yyyy:MM:dd HH:mm:ss", "yyyyMMddHHmmss").
    public static func wallClock(_ date: Date, _ format: String) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        var out = format
        for (token, value, width) in [("yyyy", c.year!, 4), ("MM", c.month!, 2), ("dd", c.day!, 2),
                                      ("HH", c.hour!, 2), ("mm", c.minute!, 2), ("ss", c.second!, 2)] {
            out = out.replacingOccurrences(of: token, with: pad(value, width))
        }
        return out
    }

    /// The instant of an Asia/Shanghai wall-clock time.
    public static func shanghai(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return cal.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }
}

func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
