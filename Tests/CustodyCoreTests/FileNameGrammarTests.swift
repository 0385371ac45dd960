import Foundation
import Testing
import CustodyCore

/// Shared fixtures, namespaced so they cannot clash with other test files' globals.
enum GrammarFixtures {
    /// China Standard Time as a fixed offset, so the tests do not depend on the tz database.
    static let chinaTime = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
    /// 2026-11-27 08:30:15 in China Standard Time.
    static let clipTime = Date(timeIntervalSince1970: 1_795_739_415)

    static func defaultSet() throws -> FileNameGrammarSet {
        try FileNameGrammarSet(FileNameGrammar.defaults)
    }
}

private let chinaTime = GrammarFixtures.chinaTime
private let clipTime = GrammarFixtures.clipTime
private func defaultSet() throws -> FileNameGrammarSet { try GrammarFixtures.defaultSet() }

@Suite("Default grammar badge-serial-time")
struct BadgeSerialTimeTests {
    @Test("A plain clip name yields badge, serial, time and sequence and is not important")
    func plainName() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "010203_A7K2931_20261127083015_0001.MP4", timeZone: chinaTime))
        #expect(parsed == ParsedClipName(
            grammar: "badge-serial-time", badge: "010203", serial: "A7K2931",
            recordedAt: clipTime, sequence: "0001", important: false))
    }

    @Test("IMP glued to the sequence marks the clip important", arguments: [
        "010203_A7K2931_20261127083015_0002IMP.MP4",
        "010203_A7K2931_20261127083015_0002_IMP.MP4",
        "010203_a7k2931_20261127083015_0002_imp.mp4",
    ])
    func importantMarker(name: String) throws {
        let parsed = try #require(try defaultSet().parse(relativePath: name, timeZone: chinaTime))
        #expect(parsed.important)
        #expect(parsed.sequence == "0002")
        #expect(parsed.badge == "010203")
        #expect(parsed.serial?.uppercased() == "A7K2931")
        #expect(parsed.recordedAt == clipTime)
    }

    @Test("Lower-case and upper-case names both match and keep their spelling")
    func caseInsensitive() throws {
        let set = try defaultSet()
        let lower = try #require(set.parse(relativePath: "ab12_a7k2931_20261127083015_0003.mp4", timeZone: chinaTime))
        let upper = try #require(set.parse(relativePath: "AB12_A7K2931_20261127083015_0003.MP4", timeZone: chinaTime))
        #expect(lower.badge == "ab12" && lower.serial == "a7k2931")
        #expect(upper.badge == "AB12" && upper.serial == "A7K2931")
        #expect(lower.recordedAt == upper.recordedAt)
    }

    @Test("Badge and serial lengths are not fixed: only the separators matter")
    func freeLengths() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "7_X_20261127083015_12.avi", timeZone: chinaTime))
        #expect(parsed.badge == "7" && parsed.serial == "X" && parsed.sequence == "12")
    }

    @Test("Extra leading folders in front of the file name are ignored")
    func leadingFolders() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "/执法记录仪/Record/2026/010203_A7K2931_20261127083015_0001.MP4", timeZone: chinaTime))
        #expect(parsed.grammar == "badge-serial-time")
        #expect(parsed.badge == "010203")
    }

    @Test("An impossible recording time still matches the name but leaves recordedAt nil", arguments: [
        "20261327083015", // month 13
        "20260230083015", // 30 February
        "20261127253015", // hour 25
        "20261127086015", // minute 60
        "20230229120000", // 29 February in a common year
        "00001127083015", // year 0
    ])
    func invalidTimes(time: String) throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "010203_A7K2931_\(time)_0001.MP4", timeZone: chinaTime))
        #expect(parsed.recordedAt == nil)
        #expect(parsed.badge == "010203")
    }

    @Test("A leap day is a real date and is accepted")
    func leapDay() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "010203_A7K2931_20240229235959_0001.MP4", timeZone: chinaTime))
        #expect(parsed.recordedAt == Date(timeIntervalSince1970: 1_709_222_399))
    }

    @Test("The recording time is wall-clock time in the given zone")
    func timeZoneIsHonoured() throws {
        let set = try defaultSet()
        let name = "010203_A7K2931_20261127083015_0001.MP4"
        let utc = try #require(set.parse(relativePath: name, timeZone: .gmt)?.recordedAt)
        let china = try #require(set.parse(relativePath: name, timeZone: chinaTime)?.recordedAt)
        #expect(utc.timeIntervalSince(china) == 8 * 3600)
    }

    @Test("Names that do not fit any default grammar are not recognised", arguments: [
        "010203_A7K2931_2026112708301_0001.MP4",   // 13-digit time
        "010203_A7K2931_20261127083015.MP4",        // no sequence
        "010203-A7K2931-20261127083015-0001.MP4",   // wrong separators
        "010203_A7K2931_20261127083015_0001",       // no extension
        "010203_A7K2931_20261127083015_0001IMPX.MP4",
        "警号010203_A7K2931_20261127083015_0001.MP4", // Chinese in the badge
        "010203_A7K2931_20261127083015_0001.视频",    // Chinese extension
        "010203_A7K２931_20261127083015_0001.MP4",   // full-width digit
        "010203_A7K2931_２0261127083015_0001.MP4",   // full-width digit in the time
        "",
        "DCIM",
        "sn.txt",
    ])
    func nonMatching(path: String) throws {
        #expect(try defaultSet().parse(relativePath: path, timeZone: chinaTime) == nil)
    }

    @Test("Empty path components from stray slashes are ignored", arguments: [
        "/010203_A7K2931_20261127083015_0001.MP4",
        "Record//010203_A7K2931_20261127083015_0001.MP4",
        "010203_A7K2931_20261127083015_0001.MP4/",
    ])
    func straySlashes(path: String) throws {
        let parsed = try defaultSet().parse(relativePath: path, timeZone: chinaTime)
        #expect(parsed?.badge == "010203")
    }
}

@Suite("Default grammar android-folders")
struct AndroidFoldersTests {
    @Test("A clip in 101ANDRO is important, one in 100ANDRO is not")
    func importantFolder() throws {
        let set = try defaultSet()
        let tail = "A7K2931/010203/20261127/20261127083015_0001.MP4"
        let important = try #require(set.parse(relativePath: "DCIM/101ANDRO/" + tail, timeZone: chinaTime))
        let normal = try #require(set.parse(relativePath: "DCIM/100ANDRO/" + tail, timeZone: chinaTime))
        #expect(important == ParsedClipName(
            grammar: "android-folders", badge: "010203", serial: "A7K2931",
            recordedAt: clipTime, sequence: "0001", important: true))
        #expect(normal.grammar == "android-folders")
        #expect(!normal.important)
    }

    @Test("Folder names and DCIM match case-insensitively")
    func folderCase() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "dcim/101andro/a7k2931/010203/20261127/20261127083015_0001.mp4", timeZone: chinaTime))
        #expect(parsed.important)
        #expect(parsed.serial == "a7k2931")
    }

    @Test("An IMP marker in a normal folder still marks the clip important", arguments: ["IMP", "_IMP", "_imp"])
    func markerInNormalFolder(marker: String) throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "DCIM/100ANDRO/A7K2931/010203/20261127/20261127083015_0001\(marker).MP4", timeZone: chinaTime))
        #expect(parsed.important)
        #expect(parsed.sequence == "0001")
    }

    @Test("The android layout is found below extra leading folders")
    func leadingFolders() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "mnt/sdcard/DCIM/100ANDRO/A7K2931/010203/20261127/20261127083015_0001.MP4", timeZone: chinaTime))
        #expect(parsed.grammar == "android-folders")
    }

    @Test("A broken android layout is not recognised", arguments: [
        "DCIM/100ANDRO/A7K2931/010203/20261127083015_0001.MP4",          // no date folder
        "DCIM/100ANDRO/A7K2931/010203/2026112/20261127083015_0001.MP4",  // 7-digit date
        "XDCIM/100ANDRO/A7K2931/010203/20261127/20261127083015_0001.MP4", // DCIM must be a whole component
        "DCIM/100ANDRO/A7K2931/警号/20261127/20261127083015_0001.MP4",    // Chinese badge
        "DCIM/100ANDRO/A7K2931/010203/20261127/",
    ])
    func brokenLayout(path: String) throws {
        #expect(try defaultSet().parse(relativePath: path, timeZone: chinaTime) == nil)
    }

    @Test("An impossible time in the file name leaves recordedAt nil")
    func invalidTime() throws {
        let parsed = try #require(try defaultSet().parse(
            relativePath: "DCIM/101ANDRO/A7K2931/010203/20260230/20260230083015_0001.MP4", timeZone: chinaTime))
        #expect(parsed.recordedAt == nil)
        #expect(parsed.important)
    }
}
