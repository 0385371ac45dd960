import Foundation

/// A ledger change that was refused, with what to do about it. `code` is stable for scripts.
public struct LedgerError: Error, CustomStringConvertible, Equatable {
    public var code: String
    public var description: String
    public init(_ code: String, _ description: String) { self.code = code; self.description = description }

    public static func unknownOfficer(_ badge: String) -> LedgerError {
        LedgerError("unknown-officer", "officer \(badge) is not in the ledger; add them first (custodyctl officers add)")
    }
    public static func unknownDevice(_ serial: String) -> LedgerError {
        LedgerError("unknown-device", "device \(serial) is not in the ledger; add it first (custodyctl devices add)")
    }
}
