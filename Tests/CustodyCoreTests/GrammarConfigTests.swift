import Foundation
import Testing
import CustodyCore

private let chinaTime = GrammarFixtures.chinaTime
private let clipTime = GrammarFixtures.clipTime
private func defaultSet() throws -> FileNameGrammarSet { try GrammarFixtures.defaultSet() }

@Suite("Grammars from the config file")
struct GrammarConfigTests {
    @Test("A custom grammar with unit, badge and separate date and time fields is honoured")
    func unitBadgeDateTime() throws {
        let set = try FileNameGrammarSet([
            FileNameGrammar(name: "unit-badge", pattern: "{unit}-{badge}-{yyyyMMdd}_{HHmmss}.{ext}"),
        ])
        let parsed = try #require(set.parse(relativePath: "Video/0451-JX2087-20261127_083015.mp4", timeZone: chinaTime))
        #expect(parsed == ParsedClipName(
            grammar: "unit-badge", badge: "JX2087", unit: "0451", recordedAt: clipTime, important: false))
        let bad = try #require(set.parse(relativePath: "0451-JX2087-20261127_246015.mp4", timeZone: chinaTime))
        #expect(bad.recordedAt == nil)
        #expect(set.parse(relativePath: "A451-JX2087-20261127_083015.mp4", timeZone: chinaTime) == nil)
    }

    @Test("A date without a time of day gives no recording time")
    func dateWithoutTime() throws {
        let set = try FileNameGrammarSet([FileNameGrammar(name: "d", pattern: "{badge}_{yyyyMMdd}.{ext}")])
        let parsed = try #require(set.parse(relativePath: "010203_20261127.MP4", timeZone: chinaTime))
        #expect(parsed.badge == "010203" && parsed.recordedAt == nil)
    }

    @Test("A wildcard skips vendor text within one component but never crosses a slash")
    func wildcard() throws {
        let set = try FileNameGrammarSet([
            FileNameGrammar(name: "vendor", pattern: "{serial}/{*}_{yyyyMMddHHmmss}{*}.{ext}"),
        ])
        let parsed = try #require(set.parse(
            relativePath: "DCIM/CAM9/REC_执法_20261127083015_front.MOV", timeZone: chinaTime))
        #expect(parsed.serial == "CAM9" && parsed.recordedAt == clipTime)
        // Only the last two components take part, so the folder before the clip is the serial.
        #expect(set.parse(relativePath: "CAM9/a/b_20261127083015.MOV", timeZone: chinaTime)?.serial == "a")
    }

    @Test("Literal text in a pattern is not treated as regex syntax")
    func literalsAreEscaped() throws {
        let set = try FileNameGrammarSet([FileNameGrammar(name: "lit", pattern: "(a+).{badge}$x.{ext}")])
        #expect(set.parse(relativePath: "(A+).77$X.mp4", timeZone: chinaTime)?.badge == "77")
        #expect(set.parse(relativePath: "aa.77$X.mp4", timeZone: chinaTime) == nil)
    }

    @Test("Chinese literal text in a pattern matches the same text in a path")
    func chineseLiteral() throws {
        let set = try FileNameGrammarSet([FileNameGrammar(name: "cn", pattern: "执法_{badge}.{ext}")])
        #expect(set.parse(relativePath: "执法_010203.MP4", timeZone: chinaTime)?.badge == "010203")
        #expect(set.parse(relativePath: "记录_010203.MP4", timeZone: chinaTime) == nil)
    }

    @Test("Grammars are tried in order and the first match wins")
    func firstMatchWins() throws {
        let set = try FileNameGrammarSet([
            FileNameGrammar(name: "first", pattern: "{badge}.{ext}"),
            FileNameGrammar(name: "second", pattern: "{serial}.{ext}"),
        ])
        #expect(set.parse(relativePath: "X1.MP4", timeZone: chinaTime)?.grammar == "first")
    }

    @Test("An important folder list only matters for a pattern with a folder token")
    func importantFolderNeedsToken() throws {
        let set = try FileNameGrammarSet([
            FileNameGrammar(name: "f", pattern: "{folder}/{badge}.{ext}", importantFolders: ["Urgent"]),
        ])
        #expect(set.parse(relativePath: "URGENT/7.mp4", timeZone: chinaTime)?.important == true)
        #expect(set.parse(relativePath: "normal/7.mp4", timeZone: chinaTime)?.important == false)
    }

    @Test("An unknown token is rejected with the grammar and token named", arguments: [
        "{badge}_{serail}.{ext}", "{badge}_{YYYYMMDD}.{ext}", "{badge}_{}.{ext}",
    ])
    func unknownToken(pattern: String) throws {
        let error = try #require(throws: GrammarError.self) {
            try FileNameGrammarSet([FileNameGrammar(name: "typo", pattern: pattern)])
        }
        #expect(error.grammar == "typo")
        #expect(pattern.contains(error.token))
        #expect(error.description.contains("typo") && error.description.contains(error.token))
    }

    @Test("Malformed patterns are rejected when the set is built", arguments: [
        "", "{badge", "/{badge}.{ext}", "{badge}.{ext}/", "DCIM//{badge}.{ext}", "{badge}_{badge}.{ext}",
    ])
    func malformed(pattern: String) {
        #expect(throws: GrammarError.self) {
            try FileNameGrammarSet([FileNameGrammar(name: "bad", pattern: pattern)])
        }
    }

    @Test("Two grammars may not share a name, and a grammar must have one")
    func names() {
        #expect(throws: GrammarError.self) {
            try FileNameGrammarSet([
                FileNameGrammar(name: "a", pattern: "{badge}.{ext}"),
                FileNameGrammar(name: "a", pattern: "{serial}.{ext}"),
            ])
        }
        #expect(throws: GrammarError.self) {
            try FileNameGrammarSet([FileNameGrammar(name: "", pattern: "{badge}.{ext}")])
        }
    }

    @Test("Config entries decode with snake_case keys and important_folders may be left out")
    func decoding() throws {
        let json = Data("""
        [{"name": "a", "pattern": "{badge}.{ext}", "important_folders": ["101ANDRO"]},
         {"name": "b", "pattern": "{serial}.{ext}"}]
        """.utf8)
        let grammars = try JSONDecoder().decode([FileNameGrammar].self, from: json)
        #expect(grammars == [
            FileNameGrammar(name: "a", pattern: "{badge}.{ext}", importantFolders: ["101ANDRO"]),
            FileNameGrammar(name: "b", pattern: "{serial}.{ext}"),
        ])
        let encoded = try JSONEncoder().encode(grammars[0])
        #expect(String(decoding: encoded, as: UTF8.self).contains("important_folders"))
    }

    @Test("One grammar set can be shared by concurrent tasks")
    func concurrentUse() async throws {
        let set = try defaultSet()
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let name = "010203_A7K2931_20261127083015_\(String(format: "%04d", index)).MP4"
                    return set.parse(relativePath: name, timeZone: chinaTime)?.sequence == String(format: "%04d", index)
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64 && results.allSatisfy { $0 })
    }
}
