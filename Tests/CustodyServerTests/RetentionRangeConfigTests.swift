import CustodyCore
import Foundation
import Testing
@testable import CustodyConfigFile

/// Issue 19, item 3: routine retention within the rules' range (10–24 months), or a reason.
@Suite("Retention months within the rules")
struct RetentionRangeConfigTests {
    static func config(months: Int, reason: String? = nil) -> String {
        ConfigLoaderTests.minimal.replacingOccurrences(of: "retention_months = 12", with: "retention_months = \(months)"
            + (reason.map { "\nretention_override_reason = \"\($0)\"" } ?? ""))
    }

    @Test("10 and 24 months load; 9 and 25 are refused naming the key, the range and the override, in English and Chinese")
    func theRangeIsTheRules() throws {
        #expect(try ConfigLoader.parse(Self.config(months: 10)).policy.retentionMonths == 10)
        #expect(try ConfigLoader.parse(Self.config(months: 24)).policy.retentionOverrideReason == nil)
        for months in [9, 25, 1] {
            #expect {
                try ConfigLoader.parse(Self.config(months: months), source: "custodyd.toml")
            } throws: { error in
                guard let error = error as? ConfigError else { return false }
                return error.description.contains("custodyd.toml: [policy] retention_months is \(months), outside the 10–24 months")
                    && error.description.contains("retention_override_reason")
                    && error.text(environment: ["LANG": "zh_CN.UTF-8"]).contains("超出规定的 10–24 个月")
                    && error.text(environment: ["LANG": "C"]) == error.description
            }
        }
    }

    @Test("outside the range with a reason loads and carries the reason; a blank reason is no reason")
    func aReasonAllowsIt() throws {
        let config = try ConfigLoader.parse(Self.config(months: 36, reason: " 本局规定保存三年 "))
        #expect(config.policy.retentionMonths == 36 && config.policy.retentionOverrideReason == "本局规定保存三年")
        #expect(throws: ConfigError.self) { try ConfigLoader.parse(Self.config(months: 36, reason: "  ")) }
    }
}
