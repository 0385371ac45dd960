import CustodyCore
import Foundation
import Testing

/// Attribution issue, item 4: identity from every place a camera gives it.
@Suite("Camera identity from identity files")
struct CameraIdentityTests {
    static func identity(_ text: String) -> CameraIdentity { SideFiles.identity(fromFile: Array(text.utf8)) }

    @Test("badge and serial on separate lines, with or without the 12-digit unit number", arguments: [
        ("010203\r\nA7K2931\r\n", CameraIdentity(badge: "010203", serial: "A7K2931")),
        ("A7K2931\n010203\n", CameraIdentity(badge: "010203", serial: "A7K2931")),
        ("010203\nA7K2931\n370202000000\n", CameraIdentity(badge: "010203", serial: "A7K2931", unitNumber: "370202000000")),
        ("370202000000\n010203\nA7K2931", CameraIdentity(badge: "010203", serial: "A7K2931", unitNumber: "370202000000")),
        ("010203", CameraIdentity(badge: "010203")),
    ])
    func lines(text: String, expected: CameraIdentity) {
        #expect(Self.identity(text) == expected, "\(text.debugDescription)")
    }

    @Test("key=value and key: value, English and Chinese keys, GA/T 947 fields", arguments: [
        ("badge=010203\nserial=A7K2931\n", CameraIdentity(badge: "010203", serial: "A7K2931")),
        ("SN: A7K2931\r\nPolice_ID: 010203\r\nUnit No: 370202000000\r\n", CameraIdentity(badge: "010203", serial: "A7K2931", unitNumber: "370202000000")),
        ("[device]\n产品序号=A7K2931\n警号=010203\n单位编号=370202000000\n使用者姓名=张三\n",
         CameraIdentity(badge: "010203", serial: "A7K2931", unitNumber: "370202000000")),
        ("警号：010203\n设备编号：A7K2931", CameraIdentity(badge: "010203", serial: "A7K2931")),
        ("DeviceID = A7K2931\nmodel = DSJ-K1\n", CameraIdentity(serial: "A7K2931")),
        ("badge=01 02 03\nserial=A7K2931\n", CameraIdentity(serial: "A7K2931")),
    ])
    func keyed(text: String, expected: CameraIdentity) {
        #expect(Self.identity(text) == expected, "\(text.debugDescription)")
    }

    @Test("a GBK devinfo.txt written by Notepad on a Chinese PC is understood")
    func gbk() throws {
        // "警号=010203\r\n产品序号=A7K2931\r\n" in GBK.
        let bytes: [UInt8] = [0xBE, 0xAF, 0xBA, 0xC5] + Array("=010203\r\n".utf8)
            + [0xB2, 0xFA, 0xC6, 0xB7, 0xD0, 0xF2, 0xBA, 0xC5] + Array("=A7K2931\r\n".utf8)
        #expect(SideFiles.identity(fromFile: bytes) == CameraIdentity(badge: "010203", serial: "A7K2931"))
    }

    @Test("two identity files that disagree: the field they disagree on comes from neither, and is named")
    func conflict() {
        let (merged, conflicts) = SideFiles.merge([
            ("SN.TXT", CameraIdentity(badge: "010203", serial: "A7K2931")),
            ("DEVINFO.TXT", CameraIdentity(badge: "010204", serial: "a7k2931", unitNumber: "370202000000")),
        ])
        #expect(merged == CameraIdentity(serial: "A7K2931", unitNumber: "370202000000"))
        #expect(conflicts == [IdentityConflict(field: "badge", values: ["SN.TXT": "010203", "DEVINFO.TXT": "010204"])])
        #expect(conflicts.first?.message.contains("SN.TXT: 010203") == true)
    }
}
