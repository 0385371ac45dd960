import Foundation

/// Who a camera belongs to, as its identity files say (`sn.txt`, `id.txt`, `devinfo.txt`):
/// the officer's badge, the device serial and the unit number (GA/T 947-2015 device-info fields:
/// 7-character serial, 6-digit badge, 12-digit unit number).
public struct CameraIdentity: Sendable, Equatable, Codable {
    public var badge: String?
    public var serial: String?
    public var unitNumber: String?
    public init(badge: String? = nil, serial: String? = nil, unitNumber: String? = nil) {
        self.badge = badge; self.serial = serial; self.unitNumber = unitNumber
    }
    public var isEmpty: Bool { badge == nil && serial == nil && unitNumber == nil }
}

/// Two identity files of one medium that name different values for one field; that field is
/// then taken from neither (a wrong badge attributes evidence to the wrong officer).
public struct IdentityConflict: Sendable, Equatable, Codable {
    /// badge, serial or unit-number.
    public var field: String
    /// File name → the value it names.
    public var values: [String: String]
    public init(field: String, values: [String: String]) { self.field = field; self.values = values }
    public var message: String {
        "the identity files disagree on the \(field) (" + values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            + "); neither is used: correct the clips' \(field == "serial" ? "device" : field == "badge" ? "officer" : field) (custodyctl clips correct --dump)"
    }
}

extension SideFiles {
    /// Keys (folded: lower case, no spaces, `_`, `-` or `.`) that name each field in `key=value`
    /// and `key: value` identity files, as vendors and the GA/T 947 device-info export write them.
    static let identityKeys: [String: Set<String>] = [
        "badge": ["badge", "badgeno", "badgenumber", "policeno", "policeid", "policenumber", "officer", "officerid", "officerno",
                  "userid", "userno", "usercode", "警号", "警员编号", "警员号", "民警编号", "执法人员编号", "用户编号", "使用人编号"],
        "serial": ["serial", "serialno", "serialnumber", "sn", "devicesn", "deviceid", "deviceno", "devicenumber", "devicecode",
                   "cameraid", "productsn", "productserial", "产品序号", "产品序列号", "设备编号", "设备序号", "序列号", "设备号",
                   "执法记录仪编号"],
        "unit-number": ["unit", "unitno", "unitid", "unitcode", "unitnumber", "orgcode", "单位编号", "单位代码", "部门编号"],
    ]

    /// The identity an identity file states (attribution issue, item 4), in any common layout:
    /// - `key=value` or `key: value` lines (`badge=010203`, `SN: A7K2931`, `警号：010203`);
    /// - plain lines: the badge first, then the serial, the 12-digit unit number on any line; a
    ///   serial-looking first line (letters) followed by a number is taken as serial then badge.
    /// UTF-8, UTF-16 with a byte-order mark, or GBK (Notepad on a Chinese PC). A value that is not
    /// a plain badge, serial or unit number is ignored rather than guessed at; plain lines whose
    /// first is not a plain value give nothing.
    public static func identity(fromFile bytes: [UInt8]) -> CameraIdentity {
        let trimSet = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}\u{0}"))
        let lines = decodeIdentity(bytes).split(omittingEmptySubsequences: true, whereSeparator: { $0.isNewline })
            .map { $0.trimmingCharacters(in: trimSet) }.filter { !$0.isEmpty }
        var keyed = CameraIdentity()
        var sawKey = false
        for line in lines {
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" || $0 == "：" }) else { continue }
            let key = foldKey(String(line[..<separator]))
            let value = line[line.index(after: separator)...].trimmingCharacters(in: trimSet)
            guard let field = identityKeys.first(where: { $0.value.contains(key) })?.key else { continue }
            sawKey = true
            switch field {
            case "badge" where isBadge(value): keyed.badge = keyed.badge ?? value
            case "serial" where isSerial(value): keyed.serial = keyed.serial ?? value
            case "unit-number" where isUnitNumber(value): keyed.unitNumber = keyed.unitNumber ?? value
            default: break
            }
        }
        if sawKey { return keyed }
        return positional(Array(lines.prefix(4)))
    }

    /// Plain lines: badge, serial (or serial, badge), and a 12-digit unit number anywhere.
    private static func positional(_ lines: [String]) -> CameraIdentity {
        guard let first = lines.first, isBadge(first) else { return CameraIdentity() }
        var identity = CameraIdentity()
        var tokens = lines.prefix { isSerial($0) }
        if let unit = tokens.firstIndex(where: { $0.count == 12 && isUnitNumber($0) }), tokens.count > 1 || unit > 0 {
            identity.unitNumber = tokens.remove(at: unit)
        }
        guard let head = tokens.first else { return identity }
        let second = tokens.dropFirst().first
        if let second, head.contains(where: \.isLetter), second.allSatisfy(\.isNumber), isBadge(second) {
            (identity.serial, identity.badge) = (head, second)
        } else if isBadge(head) {
            (identity.badge, identity.serial) = (head, second)
        }
        return identity
    }

    /// The fields several identity files agree on; a field they disagree on is left out and named.
    public static func merge(_ files: [(name: String, identity: CameraIdentity)]) -> (identity: CameraIdentity, conflicts: [IdentityConflict]) {
        var merged = CameraIdentity()
        var conflicts: [IdentityConflict] = []
        for (field, path) in [("badge", \CameraIdentity.badge), ("serial", \CameraIdentity.serial), ("unit-number", \CameraIdentity.unitNumber)] {
            let named = files.compactMap { file in file.identity[keyPath: path].map { (file.name, $0) } }
            let values = Set(named.map(\.1).map { $0.uppercased() })
            if values.count > 1 {
                conflicts.append(IdentityConflict(field: field, values: Dictionary(named, uniquingKeysWith: { a, _ in a })))
            } else {
                merged[keyPath: path] = named.first?.1
            }
        }
        return (merged, conflicts)
    }

    static func foldKey(_ key: String) -> String {
        key.lowercased().filter { !" _-.\t".contains($0) }
    }

    static func isSerial(_ text: String) -> Bool {
        (1...32).contains(text.unicodeScalars.count) && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }

    static func isUnitNumber(_ text: String) -> Bool {
        (1...32).contains(text.count) && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    /// UTF-16 with a byte-order mark, UTF-8, else GBK/GB18030 (Notepad on a Chinese PC).
    static func decodeIdentity(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || String(validating: bytes, as: UTF8.self) != nil {
            return decode(bytes)
        }
        if case .success(let utf8) = LedgerTextDecoder.gb18030ToUTF8(bytes), let text = String(validating: utf8, as: UTF8.self) {
            return text
        }
        return decode(bytes)
    }
}
