import Foundation

/// One CSV record with the physical line it starts on, so errors can point a
/// clerk at the row number Excel shows (header = row 1).
struct LedgerCSVRecord: Sendable, Equatable {
    var line: Int
    var fields: [String]
}

/// Records found in a file, plus the unterminated-quote error if one occurred
/// (everything from that quote to the end of the file is then unusable).
struct LedgerCSVTokens: Sendable, Equatable {
    var records: [LedgerCSVRecord]
    var error: CSVLineError?
}

/// RFC 4180 reader, written by hand because Foundation has none and the
/// project takes no dependencies. It is deliberately lenient where Excel and
/// hand-edited files disagree with the RFC: CR-only line ends (old Mac Excel),
/// spaces before an opening quote, and stray quotes inside unquoted fields are
/// accepted rather than rejected, since none of them makes the data ambiguous.
enum LedgerCSVTokenizer {
    /// Picks the separator from the header line: comma normally, but a header
    /// without commas and with tabs (Excel "文本文件(制表符分隔)") or semicolons
    /// (European-locale Excel) selects that separator instead.
    static func separator(for text: String) -> Unicode.Scalar {
        var tabs = 0, semicolons = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case ",": return ","
            case "\t": tabs += 1
            case ";": semicolons += 1
            case "\n", "\r":
                return tabs > 0 ? "\t" : (semicolons > 0 ? ";" : ",")
            default: break
            }
        }
        return tabs > 0 ? "\t" : (semicolons > 0 ? ";" : ",")
    }

    static func tokenize(_ text: String, separator: Unicode.Scalar) -> LedgerCSVTokens {
        let s = Array(text.unicodeScalars)
        var records: [LedgerCSVRecord] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false
        var i = 0

        /// Consumes one line break (CRLF, LF or lone CR) at `i`.
        func skipLineBreak(_ i: inout Int) {
            if s[i] == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 2 } else { i += 1 }
        }

        while i < s.count {
            let c = s[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < s.count, s[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                    } else {
                        inQuotes = false
                        i += 1
                    }
                } else if c == "\r" || c == "\n" {
                    // Line breaks inside a cell (Alt+Enter) are kept as "\n".
                    field.append("\n")
                    skipLineBreak(&i)
                    line += 1
                } else {
                    field.append(c)
                    i += 1
                }
                continue
            }
            if c == "\"", !wasQuoted, field.allSatisfy({ $0 == " " }) {
                field = String.UnicodeScalarView()
                inQuotes = true
                wasQuoted = true
                i += 1
            } else if c == separator {
                fields.append(String(field))
                field = String.UnicodeScalarView()
                wasQuoted = false
                i += 1
            } else if c == "\r" || c == "\n" {
                fields.append(String(field))
                records.append(LedgerCSVRecord(line: recordLine, fields: fields))
                fields = []
                field = String.UnicodeScalarView()
                wasQuoted = false
                skipLineBreak(&i)
                line += 1
                recordLine = line
            } else {
                field.append(c)
                i += 1
            }
        }
        if inQuotes {
            let reason = "a quote (\") opened in this row is never closed, so the rest of the file ran into one cell; add the closing quote"
            return LedgerCSVTokens(records: records, error: CSVLineError(line: recordLine, column: "", reason: reason,
                                                                         zh: "本行的引号（\"）没有闭合，文件其余部分都进了一个单元格；请补上闭合引号"))
        }
        if !fields.isEmpty || !field.isEmpty || wasQuoted {
            fields.append(String(field))
            records.append(LedgerCSVRecord(line: recordLine, fields: fields))
        }
        return LedgerCSVTokens(records: records, error: nil)
    }
}
