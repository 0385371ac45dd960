import CustodyCore
import Foundation
import GRDB

/// What `clips reparse` did: how many clips it looked at, how many a grammar now reads
/// differently (and re-judged), and how many no grammar matches.
public struct ReparseOutcome: Sendable, Equatable {
    public var examined = 0
    public var changed = 0
    public var rejudged = 0
    public var unmatched = 0
    /// Grammar name → clips it now parses differently.
    public var byGrammar: [String: Int] = [:]
}

extension Catalog {
    /// The flags a file's name and time sources decide; re-parsing recomputes exactly these.
    static let parseFlags: Set<String> = Set([ClipFlag.unparsedName, .important, .timeZoneShift, .timeSourcesDisagree, .timeFromFileTime,
                                              .identityConflict].map(\.rawValue))

    /// Parses clips' source paths again with the grammars given (attribution issue, item 4: a new
    /// `[[grammar]]` re-parses the clips it matches instead of "already ingested"). The serial and
    /// badge fall back to the identity files kept with the clip's first dump. Each clip read
    /// differently gets a `clip_correction` row of kind `reparse` and a `clip.reparse` audit row
    /// with the values before and after, and is matched and judged again; a clerk's corrections
    /// stay in force. The run itself is audited (`clips.reparse`), also when nothing matched.
    public func reparse(_ selection: ClipSelection?, allClips: Bool, grammars: FileNameGrammarSet, grammarNames: [String],
                        timeZone: TimeZone, actor: String, policy: MatchPolicy, dryRun: Bool, now: Date = Date()) throws -> ReparseOutcome {
        try pool.write { db in
            var outcome = ReparseOutcome()
            let (sql, arguments): (String, StatementArguments) = selection?.sql
                ?? (allClips ? "SELECT * FROM clip WHERE disposed_at IS NULL"
                    : "SELECT c.* FROM clip c JOIN clip_flag f ON f.clip_sha256 = c.sha256 WHERE f.flag = 'unparsed-name' AND c.disposed_at IS NULL", [])
            var identities: [Int64: CameraIdentity] = [:]
            for old in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.clip(from:)) {
                outcome.examined += 1
                guard let source = try Row.fetchOne(db, sql: "SELECT dump_id, source_path_raw FROM provenance WHERE clip_sha256 = ? ORDER BY id LIMIT 1",
                                                    arguments: [old.sha256]) else { continue }
                let dumpID: Int64 = source["dump_id"]
                let path = RawPath(Array(source["source_path_raw"] as Data))
                let parsed = grammars.parse(relativePath: path.display, timeZone: timeZone)
                if parsed == nil { outcome.unmatched += 1 }
                if identities[dumpID] == nil { identities[dumpID] = try Self.dumpIdentity(dumpID, db: db) }
                let identity = identities[dumpID] ?? CameraIdentity()
                let media = MediaInfo(kind: MediaKind(rawValue: old.mediaKind) ?? .other, format: old.format,
                                      recordedStart: old.containerRecordedAt, durationSeconds: old.durationSeconds)
                let id = ClipIdentification(path: path, parsed: parsed, media: media, mtime: old.timeSource == TimeSource.fileTime.rawValue ? old.recordedAt : nil,
                                            mediumBadge: identity.badge, mediumSerial: identity.serial)
                var clip = old
                clip.claimedSerial = id.deviceSerial
                clip.deviceSerial = old.clerkSerial ?? id.deviceSerial
                clip.claimedBadge = id.officerBadge
                (clip.recordedAt, clip.timeSource, clip.timeReason, clip.nameRecordedAt) = (id.recordedAt, id.timeSource.rawValue, id.time.reason.rawValue, id.time.nameTime)
                clip.flags = old.flags.filter { !Self.parseFlags.contains($0) || $0 == ClipFlag.identityConflict.rawValue }
                    + id.flags.map(\.rawValue).filter { Self.parseFlags.contains($0) }
                let before = Self.parseFields(old), after = Self.parseFields(clip)
                // Only what a grammar matches is read again: a clip no grammar matches keeps what it has.
                guard let grammar = parsed?.grammar, before != after else { continue }
                outcome.changed += 1
                outcome.byGrammar[grammar, default: 0] += 1
                guard !dryRun else { continue }
                try db.execute(sql: """
                    UPDATE clip SET claimed_serial = ?, device_serial = ?, claimed_badge = ?, recorded_at = ?, time_source = ?,
                                    time_reason = ?, name_recorded_at = ?, flags = ? WHERE sha256 = ?
                    """, arguments: [clip.claimedSerial, clip.deviceSerial, clip.claimedBadge, clip.recordedAt?.timeIntervalSince1970,
                                     clip.timeSource, clip.timeReason, clip.nameRecordedAt?.timeIntervalSince1970, JSONText.encode(clip.flags), clip.sha256])
                try Self.recordRevision(sha256: clip.sha256, kind: "reparse", before: before, after: after, reason: "grammar \(grammar)",
                                        actor: actor, now: now, db: db)
                outcome.rejudged += try Self.rematch(sql: "SELECT * FROM clip WHERE sha256 = ?", arguments: [clip.sha256], actor: actor,
                                                     policy: policy, now: now, db: db)
            }
            try AuditLog.append(db, actor: actor, action: "clips.reparse", object: "clips",
                                detail: ["grammars": grammarNames.joined(separator: ","), "examined": String(outcome.examined),
                                         "changed": String(outcome.changed), "unmatched": String(outcome.unmatched), "dryRun": String(dryRun),
                                         "scope": selection.map { "\($0)" } ?? (allClips ? "all" : "unparsed-name")])
            return outcome
        }
    }

    /// What a name decides about a clip, as audit fields.
    static func parseFields(_ clip: Clip) -> [String: String] {
        ["claimedSerial": clip.claimedSerial ?? "", "device": clip.deviceSerial ?? "", "claimedBadge": clip.claimedBadge ?? "",
         "recordedAt": epoch(clip.recordedAt), "timeSource": clip.timeSource, "timeReason": clip.timeReason ?? "",
         "nameRecordedAt": epoch(clip.nameRecordedAt),
         "flags": clip.flags.filter { parseFlags.contains($0) }.sorted().joined(separator: ",")]
    }

    /// The identity the identity files kept with a dump state (conflicting fields left out), else
    /// the serial the dump's names agreed on.
    static func dumpIdentity(_ dumpID: Int64, db: Database) throws -> CameraIdentity {
        let files = try Row.fetchAll(db, sql: "SELECT source_path, content FROM dump_side_file WHERE dump_id = ? AND kind = 'identity' ORDER BY id",
                                     arguments: [dumpID]).map { (name: $0["source_path"] as String, identity: SideFiles.identity(fromFile: Array($0["content"] as Data))) }
        var identity = SideFiles.merge(files).identity
        if identity.serial == nil { identity.serial = try String.fetchOne(db, sql: "SELECT device_serial FROM dump WHERE id = ?", arguments: [dumpID]) }
        return identity
    }
}
