import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Text recovered from a ledger file plus the label of the encoding it was in.
struct LedgerDecodedText: Sendable, Equatable {
    var text: String
    var encoding: String
}

/// Turns the bytes Excel wrote into text. Chinese Excel saves "CSV (逗号分隔)"
/// in the system code page (GBK, which GB18030 extends) and "CSV UTF-8" with a
/// BOM, so both must be read. UTF-8 is tried first because GBK text of any
/// length is almost never valid UTF-8, while the reverse is common.
enum LedgerTextDecoder {
    static func decode(_ bytes: [UInt8]) -> Result<LedgerDecodedText, CSVLineError> {
        // UTF-16 is what Excel's "Unicode 文本" export writes; name it so the
        // clerk knows which "Save as" entry to pick instead.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(wholeFile("the file is UTF-16 (Excel \"Unicode Text\"); save it again as \"CSV UTF-8\" or \"CSV (comma delimited)\"",
                                      zh: "文件是 UTF-16 编码（Excel“Unicode 文本”）；请另存为“CSV UTF-8”或“CSV（逗号分隔）”"))
        }
        // A NUL never appears in a real CSV export; it means a spreadsheet
        // (.xlsx), image or other binary file was picked by mistake.
        if let nul = bytes.firstIndex(of: 0) {
            return .failure(wholeFile("the file contains binary data (a zero byte at offset \(nul)); it is not a CSV export — if it is an .xlsx workbook, open it in Excel and save as CSV",
                                      zh: "文件含二进制数据（偏移 \(nul) 处为零字节），不是 CSV 文件；如为 .xlsx 工作簿，请在 Excel 中另存为 CSV"))
        }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if bytes.starts(with: bom) {
            let body = bytes.dropFirst(3)
            if let text = String(validating: body, as: UTF8.self) {
                return .success(LedgerDecodedText(text: text, encoding: "utf-8-bom"))
            }
            return .failure(wholeFile("the file is marked as UTF-8 but contains bytes that are not UTF-8; save it again as \"CSV UTF-8\"",
                                      zh: "文件标为 UTF-8 但含非 UTF-8 字节；请另存为“CSV UTF-8”"))
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return .success(LedgerDecodedText(text: text, encoding: "utf-8"))
        }
        switch gb18030ToUTF8(bytes) {
        case .success(let utf8):
            if let text = String(validating: utf8, as: UTF8.self) {
                return .success(LedgerDecodedText(text: text, encoding: "gb18030"))
            }
            return .failure(wholeFile("the file is neither UTF-8 nor GBK/GB18030 text; save it again from Excel as \"CSV UTF-8\"",
                                      zh: "文件既不是 UTF-8 也不是 GBK/GB18030 文本；请在 Excel 中另存为“CSV UTF-8”"))
        case .failure(let offset):
            return .failure(wholeFile("the file is neither UTF-8 nor GBK/GB18030 text (unreadable byte at offset \(offset.value)); save it again from Excel as \"CSV UTF-8\"",
                                      zh: "文件既不是 UTF-8 也不是 GBK/GB18030 文本（偏移 \(offset.value) 处无法识别）；请在 Excel 中另存为“CSV UTF-8”"))
        }
    }

    private static func wholeFile(_ reason: String, zh: String) -> CSVLineError {
        CSVLineError(line: 0, column: "", reason: reason, zh: zh)
    }

    /// Byte offset where conversion failed, so the error can point at it.
    struct BadOffset: Error, Equatable { var value: Int }

    /// Converts with glibc iconv. A fresh descriptor per call keeps this free
    /// of shared state (iconv descriptors carry shift state and are not
    /// thread-safe), and the cost is negligible next to reading the file.
    static func gb18030ToUTF8(_ bytes: [UInt8]) -> Result<[UInt8], BadOffset> {
        let cd = iconv_open("UTF-8", "GB18030")
        guard let cd, Int(bitPattern: cd) != -1 else { return .failure(BadOffset(value: 0)) }
        defer { iconv_close(cd) }

        var input = bytes.map { CChar(bitPattern: $0) }
        // Each GB18030 sequence of n bytes becomes at most n + 1 UTF-8 bytes
        // (2 → 3, 4 → 4), so twice the input plus slack always suffices.
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        let outCapacity = output.count
        var failedAt: Int?
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = inBuf.baseAddress
                var outPtr = outBuf.baseAddress
                var inLeft = inBuf.count
                var outLeft = outCapacity
                if inLeft > 0, iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                    failedAt = inBuf.count - inLeft
                    return
                }
                // Flush any pending shift state (a no-op for GB18030, but cheap).
                _ = iconv(cd, nil, nil, &outPtr, &outLeft)
                produced = outCapacity - outLeft
            }
        }
        if let failedAt { return .failure(BadOffset(value: failedAt)) }
        return .success(output.prefix(produced).map { UInt8(bitPattern: $0) })
    }
}
