import Foundation

/// The officer recorded as handling a case (承办人), as the register copies it from the case.
public struct CaseHandler: Sendable, Hashable, Codable {
    public var badge: String
    public var name: String

    public init(badge: String, name: String) {
        self.badge = badge
        self.name = name
    }

    /// `张三（警号 010203）`, as the clerk reads it.
    public var shownZh: String { name.isEmpty ? "警号 \(badge)" : "\(name)（警号 \(badge)）" }
    public var shown: String { name.isEmpty ? "badge \(badge)" : "\(name) (badge \(badge))" }
}

extension AccessPolicyRules {
    /// The case handler looks at footage directly because it is *his* case (`第四条`: 本局案件承办人):
    /// a request of that kind names the requester's badge, and every clip must belong to a case
    /// whose recorded handler has that badge. Anyone else registers as agency staff, whose look
    /// the agency head approves.
    func caseHandlerProblems(_ request: AccessRequest) -> [AccessProblem] {
        guard request.requester.kind == .caseHandler else { return [] }
        guard let badge = request.requester.badge?.trimmed, !badge.isEmpty else { return [.caseHandlerBadgeMissing] }
        return request.clips.compactMap { clip in
            clip.caseHandler?.badge == badge ? nil
                : .notTheCaseHandler(clip: clip.sha256, caseNumber: clip.caseNumber, handler: clip.caseHandler, badge: badge)
        }
    }
}
