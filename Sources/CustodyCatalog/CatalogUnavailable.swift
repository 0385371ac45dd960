import Foundation
import GRDB

extension Catalog {
    /// What a failed catalog write says about the catalog's disk, when it is one the station gets
    /// over by itself: the disk full (`SQLITE_FULL`), no descriptor or file to open
    /// (`SQLITE_CANTOPEN`, as under EMFILE), an I/O error, or a lock another process holds past
    /// the busy timeout. Ingest pauses on these and tries again (availability issue, item 6);
    /// anything else (a constraint, a trigger refusing a change) is not waited out. Nil otherwise.
    public static func unavailability(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: return "the catalog's disk is full"
        case .SQLITE_CANTOPEN: return "the catalog cannot be opened (no file descriptor or no access)"
        case .SQLITE_IOERR: return "the catalog's disk failed a read or write"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "the catalog is locked by another process"
        default: return nil
        }
    }
}
