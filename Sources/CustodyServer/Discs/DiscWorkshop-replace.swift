import CustodyAPI
import CustodyCatalog
import CustodyCore
import Foundation

/// A stored copy is never silently re-burned (issue 19, item 2): burning over a verified,
/// labelled or located copy is refused unless an admin says `replace` with a reason; the old
/// copy's record is then kept as `superseded` (its audit row carries the reason, the maker, the
/// state it had reached and where it was kept), and the maker of the set's first burn stays on
/// the new copy.
extension DiscWorkshop {
    /// What a burn request may do: the copies it replaces and the maker the new copies carry.
    func burnPlan(_ set: DiscSetRecord, copies: [String], body: DiscCopyRequest) throws -> (replacing: [String], maker: String) {
        let stored = copies.filter { set.verified($0) }
        let first = Self.firstMaker(set)
        guard body.replace == true else {
            if let copy = stored.first {
                let state = Vocabulary.name(Vocabulary.discCopyStates, set.state(of: copy))
                throw APIRefusal(.conflict, "already-stored",
                                 "copy \(copy) of \(set.id) is \(set.state(of: copy)); a stored copy is never burned again. To replace it, an admin runs "
                                    + "`custodyctl discs burn \(set.id) --copy \(copy) --replace --reason …` (the old copy's record is kept as superseded)",
                                 zh: "\(set.id) 的 \(copy) 盘已\(state)，不得重新刻录；确需替换的，由管理员执行 "
                                    + "`custodyctl discs burn \(set.id) --copy \(copy) --replace --reason 原因`（原盘记录保留为“已被替换”）")
            }
            return ([], body.maker ?? first ?? config.discs.maker)
        }
        guard let reason = body.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw APIRefusal(.badRequest, "reason-required", "say why the stored copy is replaced (--reason)", zh: "请说明替换原盘的原因（--reason）")
        }
        guard stored == copies else {
            let copy = copies.first { !stored.contains($0) }!
            throw APIRefusal(.conflict, "nothing-to-replace", "copy \(copy) of \(set.id) is not a stored copy; burn it without --replace",
                             zh: "\(set.id) 的 \(copy) 盘不是已保存的光盘，请不加 --replace 刻录")
        }
        let maker = first ?? config.discs.maker
        if let asked = body.maker, asked != maker {
            throw APIRefusal(.conflict, "maker-kept", "the maker of \(set.id) is \(maker), recorded at its first burn; a replacement keeps it (leave out --maker)",
                             zh: "\(set.id) 的制作人为首次刻录时登记的 \(maker)，替换盘沿用该制作人（请勿指定 --maker）")
        }
        return (copies, maker)
    }

    /// Records each replaced copy as superseded, before its new burn starts. The detail is one
    /// `key=value` per line: reason, maker, was (the state reached), location.
    func supersede(_ set: DiscSetRecord, copies: [String], reason: String, maker: String, actor: String) throws {
        for copy in copies {
            let location = set.current(copy).last { $0.state == "stored" }?.detail ?? ""
            let detail = [("reason", reason), ("maker", maker), ("was", set.state(of: copy)), ("location", location)]
                .map { "\($0.0)=\($0.1.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n")
            try catalog.recordDiscCopy(setID: set.id, copy: copy, state: "superseded", detail: detail, actor: actor)
        }
    }

    /// The maker recorded at the set's first burn (`maker=` of its first `burning` event).
    static func firstMaker(_ set: DiscSetRecord) -> String? {
        set.events.first { $0.state == "burning" && $0.detail.hasPrefix("maker=") }.map { String($0.detail.dropFirst(6)) }
    }

    /// The copies `copy` replaced, oldest first, from its events.
    static func superseded(_ set: DiscSetRecord, copy: String) -> [SupersededCopyItem] {
        var result: [SupersededCopyItem] = [], since: [DiscSetRecord.CopyEvent] = []
        for event in set.events where event.copy == copy {
            guard event.state == "superseded" else { since.append(event); continue }
            let fields = Self.fields(event.detail)
            result.append(SupersededCopyItem(maker: fields["maker"] ?? "", burnedAt: since.last { $0.state == "burning" }?.recordedAt,
                                             lastState: fields["was"] ?? since.last?.state ?? "", location: fields["location"].flatMap { $0.isEmpty ? nil : $0 },
                                             reason: fields["reason"] ?? "", supersededBy: event.recordedBy, supersededAt: event.recordedAt))
            since = []
        }
        return result
    }

    static func fields(_ detail: String) -> [String: String] {
        Dictionary(detail.split(separator: "\n").compactMap { line in
            line.firstIndex(of: "=").map { (String(line[..<$0]), String(line[line.index(after: $0)...])) }
        }, uniquingKeysWith: { $1 })
    }
}

extension DiscSetRecord {
    /// The events of the copy on the disc now: those since its last burn started.
    func current(_ copy: String) -> [CopyEvent] {
        let mine = events.filter { $0.copy == copy }
        guard let start = mine.lastIndex(where: { $0.state == "burning" }) else { return mine }
        return Array(mine[start...])
    }
}
