import Foundation

extension PeerIdentity {
    /// The requester's station account of an access request as the audit log names people
    /// (`uid:1001(zhao)`), so that it compares equal to the identity of whoever decides the
    /// request: a requester may not approve their own request (RULES.md, "Access"). The request
    /// stores the Unix user name a clerk typed (`access request --user zhao`); a name already in
    /// the audit form is kept, and an unknown name is kept as typed.
    static func stationIdentity(_ user: String) -> String {
        let name = user.trimmingCharacters(in: .whitespaces)
        guard !name.hasPrefix("uid:"), let entry = getpwnam(name) else { return name }
        return "uid:\(entry.pointee.pw_uid)(\(name))"
    }
}
