import Foundation
import Glibc
@testable import CustodyCore

/// Shared fixtures for the ledger CSV tests. GBK bytes are produced with glibc
/// iconv directly (independently of the code under test) so the GBK test really
/// feeds the parser what Chinese Excel writes.
enum LedgerFixture {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// UTF-8 → GB18030 via iconv; returns nil if the text cannot be encoded.
    static func gb18030(_ text: String) -> [UInt8]? {
        let cd = iconv_open("GB18030", "UTF-8")
        guard let cd, Int(bitPattern: cd) != -1 else { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let capacity = output.count
        var ok = true
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = inBuf.baseAddress
                var outPtr = outBuf.baseAddress
                var inLeft = inBuf.count
                var outLeft = capacity
                ok = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1
                produced = capacity - outLeft
            }
        }
        return ok ? output.prefix(produced).map { UInt8(bitPattern: $0) } : nil
    }

    /// A wall-clock time in Shanghai.
    static func date(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int = 0) -> Date? {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = shanghai
        return cal.date(from: DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s))
    }

    /// (line, column) pairs, for compact expectations.
    static func places(_ errors: [CSVLineError]) -> [String] {
        errors.map { "\($0.line):\($0.column)" }
    }
}
