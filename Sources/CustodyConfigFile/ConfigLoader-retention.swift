import CustodyCore
import Foundation

extension ConfigLoader {
    /// The routine retention period the seeds allow (RULES.md, "Retention": 10 months to 2 years).
    public static let retentionMonthsRange = 10...24

    /// `[policy] retention_months` outside the rules' range is refused unless
    /// `retention_override_reason` says why (issue 19, item 3): a typo of 2 for 24 must not clear
    /// footage after two months. An accepted override is logged and audited by the daemon at start.
    static func checkRetentionRange(_ policy: Section, into config: inout CustodyConfig) throws {
        let reason = try policy.optionalString("retention_override_reason")?.trimmingCharacters(in: .whitespacesAndNewlines)
        config.policy.retentionOverrideReason = reason?.isEmpty == false ? reason : nil
        let months = config.policy.retentionMonths
        let range = retentionMonthsRange
        guard !range.contains(months), config.policy.retentionOverrideReason == nil else { return }
        var error = policy.fail("retention_months", """
            is \(months), outside the \(range.lowerBound)–\(range.upperBound) months the rules allow; \
            set a value from \(range.lowerBound) to \(range.upperBound), or say why in [policy] retention_override_reason = "…"
            """)
        error.zh = """
            \(policy.source)：[policy] retention_months 为 \(months) 个月，超出规定的 \(range.lowerBound)–\(range.upperBound) 个月；\
            请改为 \(range.lowerBound) 至 \(range.upperBound) 之间的值，或在 [policy] retention_override_reason = "…" 中写明理由
            """
        throw error
    }
}
