// FFProbe.swift — optional media checks through ffprobe/ffmpeg (package ffmpeg).

import Foundation

public enum FFProbe {
    /// Path of ffprobe, or nil if not installed (tests should then skip).
    public static var ffprobePath: String? { findExecutable("ffprobe") }
    public static var ffmpegPath: String? { findExecutable("ffmpeg") }
    public static var isAvailable: Bool { ffprobePath != nil }

    /// `ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 FILE`
    public static func formatDuration(of file: URL) throws -> Double? {
        let exe = try resolveExecutable("ffprobe")
        let out = try runCheckedString(exe, ["-v", "error", "-show_entries", "format=duration",
                                             "-of", "default=noprint_wrappers=1:nokey=1", file.path])
        return Double(out.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `key=value` pairs printed by `ffprobe -v error -show_entries ENTRIES -of default=nw=1 FILE`
    /// (tags come back as `TAG:name`).
    public static func entries(_ entries: String, of file: URL, extraArgs: [String] = []) throws -> [String: String] {
        let exe = try resolveExecutable("ffprobe")
        let out = try runCheckedString(exe, ["-v", "error"] + extraArgs +
                                       ["-show_entries", entries, "-of", "default=noprint_wrappers=1", file.path])
        var dict: [String: String] = [:]
        for line in out.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            dict[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return dict
    }

    /// Decodes the whole file with ffmpeg (`-v error -i FILE -f null -`); returns stderr (empty = clean).
    public static func decodeErrors(of file: URL) throws -> String {
        let exe = try resolveExecutable("ffmpeg")
        let r = try runChecked(exe, ["-nostdin", "-v", "error", "-i", file.path, "-f", "null", "-"])
        return String(decoding: r.stderr, as: UTF8.self)
    }
}
