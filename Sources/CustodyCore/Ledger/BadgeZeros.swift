import Foundation

/// Badges that lost their leading zeros (attribution issue, item 8): Excel reads a badge column
/// as numbers unless it is formatted as text, so 010203 comes back as 10203. Such a badge is not
/// refused (it may be right) but warned about, with the badge it probably was.
public enum BadgeZeros {
    /// Badge length the rules give (GA/T 947: a 6-digit badge).
    public static let badgeDigits = 6

    /// The zero-padded badge when `badge` is all digits and shorter than `badgeDigits`; else nil.
    public static func suspect(_ badge: String) -> String? {
        guard !badge.isEmpty, badge.count < badgeDigits, badge.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(repeating: "0", count: badgeDigits - badge.count) + badge
    }

    /// The warning text for one badge of an import.
    public static func warning(_ badge: String, padded: String) -> String {
        "badge \(badge) has \(badge.count) digits: did Excel drop its leading zeros (\(padded))? Format the column as text and import again if so"
    }
}
