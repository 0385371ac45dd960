import Foundation
import Testing
import CustodyCore

@Suite("Camera identity side files")
struct SideFilesTests {
    @Test("Identity file names are recognised regardless of case")
    func identityNames() {
        #expect(SideFiles.identityFileNames == ["sn.txt", "id.txt", "devinfo.txt"])
        #expect(SideFiles.isIdentityFileName("SN.TXT"))
        #expect(SideFiles.isIdentityFileName("DevInfo.txt"))
        #expect(!SideFiles.isIdentityFileName("sn.txt.bak"))
        #expect(!SideFiles.isIdentityFileName("DCIM/sn.txt"))
    }

    @Test("The badge is the first non-empty line of sn.txt", arguments: [
        ("010203", "plain"),
        ("010203\n", "trailing newline"),
        ("  010203 \t\r\n", "surrounding whitespace and CRLF"),
        ("\u{FEFF}010203\r\n", "UTF-8 BOM"),
        ("\r\n\r\n   \n010203\r\nsecond line", "blank first lines"),
        ("010203\rA7K2931\r", "old Mac CR line ends"),
        ("010203\0\0\0\0", "NUL padding"),
    ])
    func validBadges(text: String, why: String) {
        #expect(SideFiles.badge(fromSNFile: Array(text.utf8)) == "010203", "\(why)")
    }

    @Test("Letters are allowed and the spelling is kept")
    func letters() {
        #expect(SideFiles.badge(fromSNFile: Array("Jx2087\n".utf8)) == "Jx2087")
    }

    @Test("A UTF-16 sn.txt written by Notepad is understood")
    func utf16() {
        let little: [UInt8] = [0xFF, 0xFE] + "0102\r\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big: [UInt8] = [0xFE, 0xFF] + "0102\r\n".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(SideFiles.badge(fromSNFile: little) == "0102")
        #expect(SideFiles.badge(fromSNFile: big) == "0102")
    }

    @Test("Anything that is not a plain badge on the first non-empty line gives nil", arguments: [
        "",
        "\r\n \n\t",
        "\u{FEFF}",
        "SN: 010203",
        "010 203",
        "警号010203",
        "０１０２０３",                    // full-width digits
        String(repeating: "1", count: 33), // too long
        "!!!\n010203",                  // first non-empty line decides
    ])
    func invalid(text: String) {
        #expect(SideFiles.badge(fromSNFile: Array(text.utf8)) == nil)
    }

    @Test("Binary garbage gives nil")
    func garbage() {
        #expect(SideFiles.badge(fromSNFile: [0xFF, 0xFF, 0xFF, 0x30, 0x31]) == nil)
        #expect(SideFiles.badge(fromSNFile: [0xC3, 0x28, 0x0A]) == nil)
        #expect(SideFiles.badge(fromSNFile: Array(repeating: 0xFF, count: 512)) == nil)
    }

    @Test("A 32-character badge is the longest accepted")
    func maximumLength() {
        let badge = String(repeating: "A1", count: 16)
        #expect(SideFiles.badge(fromSNFile: Array(badge.utf8)) == badge)
    }
}
