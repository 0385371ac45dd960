import Foundation
import Testing
@testable import CustodyServer

@Suite("The web console's routes: byte ranges, playback looks, the requester's identity")
struct ConsoleRouteTests {
    @Test("a range names the first and last byte, is cut at the end of the clip and at the answer limit")
    func ranges() {
        #expect(ByteRange.parse("bytes=0-99", size: 1000, limit: 1 << 20) == ByteRange(first: 0, last: 99))
        #expect(ByteRange.parse("bytes=900-", size: 1000, limit: 1 << 20) == ByteRange(first: 900, last: 999))
        #expect(ByteRange.parse("bytes=-100", size: 1000, limit: 1 << 20) == ByteRange(first: 900, last: 999))
        #expect(ByteRange.parse("bytes=-5000", size: 1000, limit: 1 << 20) == ByteRange(first: 0, last: 999))
        #expect(ByteRange.parse("bytes=990-2000", size: 1000, limit: 1 << 20) == ByteRange(first: 990, last: 999))
        #expect(ByteRange.parse("bytes=0-", size: 100 << 20, limit: 8 << 20) == ByteRange(first: 0, last: (8 << 20) - 1))
        #expect(ByteRange.parse("bytes=0-99", size: 1000, limit: 1 << 20)?.count == 100)
    }

    @Test("a range outside the clip, several ranges or another unit is not satisfiable")
    func badRanges() {
        for header in ["bytes=1000-", "bytes=5-2", "bytes=0-1,5-9", "items=0-1", "bytes=", "bytes=-0", "bytes=a-b", "0-99"] {
            #expect(ByteRange.parse(header, size: 1000, limit: 1 << 20) == nil, "\(header)")
        }
        #expect(ByteRange.parse("bytes=0-0", size: 0, limit: 1 << 20) == nil)
    }

    @Test("playing a clip is one audited look per person and clip until the window passes")
    func looks() {
        let looks = PlaybackLooks(window: 600)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(looks.needsAudit(uid: 1000, sha256: "aa", now: t0))
        #expect(!looks.needsAudit(uid: 1000, sha256: "aa", now: t0.addingTimeInterval(30)))
        #expect(looks.needsAudit(uid: 1001, sha256: "aa", now: t0.addingTimeInterval(30)), "another person's look is their own")
        #expect(looks.needsAudit(uid: 1000, sha256: "bb", now: t0.addingTimeInterval(30)), "another clip is another look")
        #expect(looks.needsAudit(uid: 1000, sha256: "aa", now: t0.addingTimeInterval(601)))
    }

    @Test("an access request's station user is the same person as whoever logs in as that Unix user")
    func requesterIdentity() {
        let root = PeerIdentity(uid: 0, gid: 0, pid: 1)
        #expect(PeerIdentity.stationIdentity("root") == root.auditName)
        #expect(PeerIdentity.stationIdentity(" root ") == root.auditName)
        #expect(PeerIdentity.stationIdentity(root.auditName) == root.auditName)
        #expect(PeerIdentity.stationIdentity("no-such-user-xyz") == "no-such-user-xyz")
    }
}
