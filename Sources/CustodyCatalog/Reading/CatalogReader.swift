import CustodyCore
import Foundation
import GRDB

/// The catalog as one caller may read it: bound, once per request, to the confidentiality flags
/// the caller is not cleared for (`hidden`). Every read of clip metadata the admin API answers
/// goes through a reader, so a handler cannot forget the filter (access issue, "Confidentiality
/// flags"; authorization issue, item 3): clips carrying a hidden flag (their own or their case's)
/// are left out of lists, refused when asked for by name, their case titles, disc paths and
/// review notes withheld, and the audit rows about them redacted. An empty `hidden` reads
/// everything (the daemon itself, a caller cleared for every flag, the auditor's full reads).
public struct CatalogReader: Sendable {
    public let catalog: Catalog
    public let hidden: Set<Confidentiality>

    /// What stands where withheld text was.
    public static let withheld = "（涉密，已隐去 / withheld: confidential）"

    /// The clips and cases this reader may not see, worked out on first use.
    public struct Withheld: Sendable {
        /// Clip hash → the flags in force on it (its own and its case's), for hidden clips only.
        public var clips: [String: Set<Confidentiality>] = [:]
        /// Case number → its own flags, for hidden cases only.
        public var cases: [String: Set<Confidentiality>] = [:]
        public var isEmpty: Bool { clips.isEmpty && cases.isEmpty }
    }

    public init(catalog: Catalog, hidden: Set<Confidentiality>) {
        self.catalog = catalog; self.hidden = hidden
    }

    /// The clips and cases carrying a flag this reader may not see.
    public func withheld() throws -> Withheld {
        guard !hidden.isEmpty else { return Withheld() }
        let flags = try catalog.confidentialTargets()
        var result = Withheld()
        for (number, set) in flags.cases where !set.isDisjoint(with: hidden) { result.cases[number] = set }
        for (hash, set) in flags.clips where !set.isDisjoint(with: hidden) { result.clips[hash] = set }
        return result
    }

    /// Clips matching `filter`, hidden ones left out by the same SQL query.
    public func clips(_ filter: ClipFilter) throws -> [Clip] {
        var filter = filter
        filter.hidden = filter.hidden.union(hidden)
        return try catalog.clips(filter)
    }

    /// The late clips recorded in `[from, to)`: a hidden clip keeps its line (the report's counts
    /// cover it) with who, which camera and its hash withheld.
    public func lateClips(from: Date, to: Date) throws -> [LateClip] {
        let all = try catalog.lateClips(from: from, to: to)
        let withheld = try withheld()
        guard !withheld.clips.isEmpty else { return all }
        return all.map { late in
            guard withheld.clips[late.sha256] != nil else { return late }
            var hidden = late
            hidden.sha256 = Self.withheld; hidden.officerBadge = nil; hidden.officerName = nil; hidden.deviceSerial = nil
            return hidden
        }
    }

    /// The clips of `selection` (every clip when nil) this reader may not see: a change to many
    /// clips at once (a correction of a dump, a re-parse) is refused while it would touch one.
    public func withheldClips(in selection: Catalog.ClipSelection?) throws -> [String] {
        let hiddenClips = try withheld().clips
        guard !hiddenClips.isEmpty else { return [] }
        guard let selection else { return hiddenClips.keys.sorted() }
        let (sql, arguments) = selection.sql
        let hashes = try catalog.pool.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map { $0["sha256"] as String } }
        return hashes.filter { hiddenClips[$0] != nil }
    }

    /// One clip by hash or unique prefix, as this reader may see it.
    public enum Look: Sendable {
        case none
        /// The clip exists but carries `flags`, at least one hidden from this reader.
        case withheld(sha256: String, flags: Set<Confidentiality>)
        /// The clip, with the flags in force on it (empty for an ordinary clip).
        case visible(Clip, flags: Set<Confidentiality>)
    }

    public func clip(matching prefix: String) throws -> Look {
        guard let clip = try catalog.clip(matching: prefix) else { return .none }
        let flags = try catalog.confidentiality(sha256: clip.sha256)
        return flags.isDisjoint(with: hidden) ? .visible(clip, flags: flags) : .withheld(sha256: clip.sha256, flags: flags)
    }

    /// The clips filed under a case, hidden ones left out.
    public func clips(caseNumber: String) throws -> [Clip] {
        let withheld = try withheld()
        return try catalog.clips(caseNumber: caseNumber).filter { withheld.clips[$0.sha256] == nil }
    }

    /// Every case, the titles of hidden cases withheld (the number, state and dates stay: the
    /// register of cases is not secret, what they are about may be).
    public func cases() throws -> [LegalCase] {
        let withheld = try withheld()
        return try catalog.cases().map { c in
            var c = c
            if withheld.cases[c.number] != nil { c.title = Self.withheld }
            return c
        }
    }

    /// Clips the camera marked important, for the clerk to confirm, hidden ones left out.
    public func longTermProposals() throws -> [Clip] {
        let withheld = try withheld()
        return try catalog.longTermProposals().filter { withheld.clips[$0.sha256] == nil }
    }

    /// Clips queued for disc, hidden ones left out.
    public func discQueue() throws -> [DiscQueueEntry] {
        let withheld = try withheld()
        return try catalog.discQueue().filter { withheld.clips[$0.sha256] == nil }
    }

    /// Disc sets with the paths of hidden clips on them withheld (the path names the case and officer).
    public func discSets() throws -> [DiscSetRecord] {
        let withheld = try withheld()
        return try catalog.discSets().map { Self.redact($0, withheld) }
    }

    public func discSet(id: String) throws -> DiscSetRecord? {
        let withheld = try withheld()
        return try catalog.discSet(id: id).map { Self.redact($0, withheld) }
    }

    /// `set` as this reader may see it (a set the daemon just planned or burned, say).
    public func redacted(_ set: DiscSetRecord) throws -> DiscSetRecord {
        Self.redact(set, try withheld())
    }

    static func redact(_ set: DiscSetRecord, _ withheld: Withheld) -> DiscSetRecord {
        var set = set
        set.items = set.items.map { item in
            var item = item
            if withheld.clips[item.sha256] != nil { item.discPath = Self.withheld }
            return item
        }
        return set
    }

    /// Review samples with the notes about hidden clips withheld.
    public func reviewSamples() throws -> [ReviewSample] {
        let withheld = try withheld()
        return try catalog.reviewSamples().map { Self.redact($0, withheld) }
    }

    public func reviewSample(id: Int64) throws -> ReviewSample? {
        let withheld = try withheld()
        return try catalog.reviewSample(id: id).map { Self.redact($0, withheld) }
    }

    static func redact(_ sample: ReviewSample, _ withheld: Withheld) -> ReviewSample {
        var sample = sample
        sample.items = sample.items.map { item in
            var item = item
            if withheld.clips[item.subjectKey] != nil, item.note != nil { item.note = Self.withheld }
            return item
        }
        return sample
    }
}

extension Catalog {
    /// The catalog as a caller who may not see clips carrying any of `hidden` reads it.
    public func reader(hiding hidden: Set<Confidentiality>) -> CatalogReader {
        CatalogReader(catalog: self, hidden: hidden)
    }
}
