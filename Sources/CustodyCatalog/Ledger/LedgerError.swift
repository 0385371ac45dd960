import Foundation

/// A ledger change that was refused, with what to do about it. `code` is stable for scripts.
public struct LedgerError: Error, CustomStringConvertible, Equatable {
    public var code: String
    public var description: String
    /// The same message in Chinese, for the evidence clerk (`Accept-Language: zh`).
    public var chinese: String
    public init(_ code: String, _ description: String, zh: String) {
        self.code = code; self.description = description; self.chinese = zh
    }

    public static func unknownOfficer(_ badge: String) -> LedgerError {
        LedgerError("unknown-officer", "officer \(badge) is not in the ledger; add them first (custodyctl officers add)",
                    zh: "台账中没有警号 \(badge) 的警员，请先登记（custodyctl officers add）")
    }
    public static func unknownDevice(_ serial: String) -> LedgerError {
        LedgerError("unknown-device", "device \(serial) is not in the ledger; add it first (custodyctl devices add)",
                    zh: "台账中没有产品序号为 \(serial) 的设备，请先登记（custodyctl devices add）")
    }
}
