/// A path on a camera's storage as the kernel gave it: raw bytes, which need not be UTF-8
/// (FAT short names are often GBK). The bytes are the identity; `display` is for people.
public struct RawPath: Sendable, Hashable, Codable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { self.bytes = Array(string.utf8) }

    /// Whether the bytes are valid UTF-8.
    public var isValidUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// The text for people and logs: valid UTF-8 as is; otherwise every byte that breaks UTF-8
    /// is shown as `\xNN`, and control characters are escaped too, so a hostile name cannot
    /// forge log lines or terminal output.
    public var display: String {
        var out = ""
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = Self.decodeScalar(bytes, at: index) {
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(UInt8(scalar.value))
                } else if scalar == "\\" {
                    out += "\\\\"
                } else {
                    out.unicodeScalars.append(scalar)
                }
                index += length
            } else {
                out += "\\x" + hex(bytes[index])
                index += 1
            }
        }
        return out
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Decodes one UTF-8 scalar at `index`, or nil if the bytes there are not well-formed.
    static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        guard let text = String(validating: bytes[index..<index + length], as: UTF8.self),
              let scalar = text.unicodeScalars.first, text.unicodeScalars.count == 1 else { return nil }
        return (scalar, length)
    }
}
