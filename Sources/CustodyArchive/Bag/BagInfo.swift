import Foundation

/// One "Label: value" line of bag-info.txt supplied by the caller, such as
/// Access-Request, Requester, Approver or Station.
public struct BagInfoField: Sendable, Hashable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// The metadata of bag-info.txt (RFC 8493 2.2.2). Payload-Oxum is computed by
/// the writer from what it copied, never taken from the caller.
public struct BagInfo: Sendable, Hashable {
    public var sourceOrganization: String
    public var baggingDate: Date
    /// The access register's number for this export: ties the drive to the row.
    public var externalIdentifier: String
    public var extraFields: [BagInfoField]
    /// Zone in which Bagging-Date is written; China Standard Time by default.
    public var timeZone: TimeZone

    public init(sourceOrganization: String, baggingDate: Date, externalIdentifier: String,
                extraFields: [BagInfoField] = [],
                timeZone: TimeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .current) {
        self.sourceOrganization = sourceOrganization
        self.baggingDate = baggingDate
        self.externalIdentifier = externalIdentifier
        self.extraFields = extraFields
        self.timeZone = timeZone
    }

    /// Labels the writer fills itself.
    static let computedLabels: Set<String> = ["payload-oxum", "bagging-date", "bag-size"]

    /// Refuses labels and values that would break the line format; folding
    /// long values is legal but needlessly fragile, so line breaks are refused.
    func validate() throws(BagExportError) {
        let fixed = [("Source-Organization", sourceOrganization), ("External-Identifier", externalIdentifier)]
        for (label, value) in fixed where value.isEmpty || Self.hasLineBreak(value) {
            throw .invalidInfoField(label)
        }
        for field in extraFields {
            let label = field.label
            if label.isEmpty || label.contains(":") || Self.hasLineBreak(label)
                || label != label.trimmingCharacters(in: .whitespaces)
                || Self.computedLabels.contains(label.lowercased()) || Self.hasLineBreak(field.value) {
                throw .invalidInfoField(label)
            }
        }
    }

    static func hasLineBreak(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0 == "\n" || $0 == "\r" }
    }

    /// The text of bag-info.txt.
    func render(payloadOxum: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: baggingDate)
        let day = String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        var lines = [
            "Source-Organization: \(sourceOrganization)",
            "Bagging-Date: \(day)",
            "Payload-Oxum: \(payloadOxum)",
            "External-Identifier: \(externalIdentifier)",
        ]
        lines += extraFields.map { "\($0.label): \($0.value)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
