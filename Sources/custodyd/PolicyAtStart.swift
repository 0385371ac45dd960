import CustodyCatalog
import CustodyConfigFile
import CustodyCore
import Foundation
import Logging

/// Issue 19, item 3, at start: an accepted retention override is logged and audited, and clips
/// judged under other retention, calendar or deadline settings are judged again (one bound
/// `policy.rejudge` event with the counts), before anything is ingested under the new ones.
enum PolicyAtStart {
    static func run(config: CustodyConfig, policy: MatchPolicy, catalog: Catalog, logger: Logger) throws {
        if let reason = config.policy.retentionOverrideReason {
            let range = ConfigLoader.retentionMonthsRange
            logger.warning("routine retention outside the rules' range, by override", metadata: [
                "retention_months": "\(config.policy.retentionMonths)", "range": "\(range.lowerBound)-\(range.upperBound)", "reason": "\(reason)"])
            try catalog.audit(actor: "custodyd", action: "policy.retention-override", object: "policy",
                              detail: ["months": String(config.policy.retentionMonths), "range": "\(range.lowerBound)–\(range.upperBound)",
                                       "reason": reason])
        }
        guard let outcome = try catalog.rejudgeIfPolicyChanged(policy: policy, retentionOverride: config.policy.retentionOverrideReason,
                                                               actor: "custodyd") else { return }
        logger.notice("settings changed since the last start; clips judged again", metadata: [
            "clips": "\(outcome.clips)", "changed": "\(outcome.changed)", "retentionChanged": "\(outcome.retentionChanged)",
            "deadlineChanged": "\(outcome.deadlineChanged)", "was": "\(outcome.previous ?? "not recorded")", "now": "\(outcome.current)"])
    }
}
