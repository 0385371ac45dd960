import CustodyCatalog
import CustodyCore
import Foundation
import Glibc

extension DumpIngestor {
    /// How many small files are staged at once, and how far ahead of the group commit.
    static let stagingWidth = 4
    static let stagingLookahead = 16

    /// The size from which a file is staged by the ingest thread alone, as a batch of its own: more
    /// than a group commit holds (and never below the copier's `pipelineThreshold`). Smaller files
    /// are staged by the staging workers, `stagingWidth` at a time; those of `pipelineThreshold`
    /// and more still hash on a second thread each, through a compact ring. Issue 21: with its
    /// 10 MB clips staged one at a time, the issue tree's ingest left a core and the disk partly
    /// idle (paired runs: 0.83–0.90 of the time with this rule, 0.76–0.88 with `xxh3-128`).
    static func stagedAlone(from copier: PipelinedCopier, _ ingest: CustodyConfig.Ingest) -> UInt64 {
        max(UInt64(copier.pipelineThreshold), ingest.groupCommitBytes)
    }

    /// The order a dump copies a medium's recordings in: the files staged alone (larger than a
    /// group commit) first, in the medium's order, then the rest in the medium's order. A large
    /// file's read-back overlaps the copy of the next file from the camera; copied last (a shift's
    /// last recording usually is a long video), it was read back with nothing left to overlap,
    /// and the dump waited for it alone (issue 21, item 0). Which file is done never depends on
    /// the order: a resumed dump finds its done files by path and content, not by position.
    static func copyOrder(_ files: [ScannedFile], stagedAlone: UInt64) -> [ScannedFile] {
        let large = files.filter { $0.size >= stagedAlone }
        guard !large.isEmpty, large.count < files.count else { return files }
        return large + files.filter { $0.size < stagedAlone }
    }

    /// What a staging thread did with one file of the medium.
    enum Staging: Sendable {
        case ingested  // recorded by this dump already: hashed where it lies, and the bytes are the same
        case large     // staged by the ingest thread itself (`stagedAlone`)
        case staged(Result<PendingFile?, any Error>)
    }

    /// Removes the temp files of staged files that will not be committed.
    static func discard(_ steps: [Staging]) {
        for case .staged(.success(let item?)) in steps { item.staged?.discard() }
    }
    /// Makes one file ready for the next group commit (attribution issue, item 0). A file whose
    /// path and size this dump or the medium's last docking recorded is hashed where it lies
    /// first: the same bytes this dump recorded are done; bytes the store holds need only a
    /// provenance row; anything else (a camera that restarted its numbering, a new file over an
    /// ingested name) is copied like any new file. The path never decides on its own.
    func prepare(_ file: ScannedFile, recorded: [RecordedSource], seenBefore: [RecordedSource], dumpID: Int64,
                 facts: MediumFacts) -> Staging {
        do {
            if (recorded + seenBefore).contains(where: { $0.size == file.size }),
               let known = try verifyInPlace(file, recorded: Set(recorded.map(\.sha256)), dumpID: dumpID, facts: facts) {
                return known
            }
            return .staged(.success(try stageForBatch(file, dumpID: dumpID, facts: facts)))
        } catch {
            return .staged(.failure(error))
        }
    }

    /// Hashes a file on the medium without copying it; nil when its bytes must be copied (new
    /// content, or a file that changed while it was read).
    private func verifyInPlace(_ file: ScannedFile, recorded: Set<String>, dumpID: Int64, facts: MediumFacts) throws -> Staging? {
        let started = ContinuousClock.now
        let fd = try DumpScanner().openFile(root: medium.root, path: file.path)
        defer { close(fd) }
        let monitor = context.monitor
        let compact = file.size < Self.stagedAlone(from: context.copier, context.config.ingest)  // hashed beside others
        let hashed = try context.copier.hash(sourceFD: fd, displayPath: file.path.display, compactRing: compact) {
            monitor.advance(dumpID, by: $0)
        }
        // Copied after all: the copy reads the file again and counts its bytes itself.
        let copyInstead = { monitor.advance(dumpID, by: -Int(clamping: hashed.size)) }
        guard !hashed.changedDuringRead else { copyInstead(); return nil }
        if recorded.contains(hashed.sha256) { return .ingested }
        guard try catalog.holdsClip(sha256: hashed.sha256), context.store.size(of: hashed.sha256) == hashed.size else {
            copyInstead()
            return nil
        }
        let ingested = ingestedFile(file, sha256: hashed.sha256, size: hashed.size, mtime: hashed.mtime, changed: false,
                                    media: probe(fd: fd, file: file), dumpID: dumpID, facts: facts)
        return .staged(.success(PendingFile(file: file, staged: nil, ingested: ingested, elapsed: ContinuousClock.now - started)))
    }

    /// Copies a file into a temp file for the next group commit (a file changed during the
    /// copy is retried as on the single path); nil when the store disk is full.
    func stageForBatch(_ file: ScannedFile, dumpID: Int64, facts: MediumFacts) throws -> PendingFile? {
        #if DEBUG
        if ProcessInfo.processInfo.environment["CUSTODY_TEST_NO_SPACE_PRECHECK"] != "1" {
            guard let free = context.store.freeBytes(), free >= file.size &+ context.config.ingest.reserveBytes else { return nil }
        }
        #else
        guard let free = context.store.freeBytes(), free >= file.size &+ context.config.ingest.reserveBytes else { return nil }
        #endif
        let started = ContinuousClock.now
        let staged: PipelinedCopier.StagedCopy, media: MediaInfo
        do {
            (staged, media) = try stageRetrying(file, dumpID: dumpID, startWriteback: true)
        } catch StoreError.noSpace {
            return nil
        }
        let ingested = ingestedFile(file, sha256: staged.sha256, size: staged.size, mtime: staged.mtime,
                                    changed: staged.changedDuringCopy, media: media, dumpID: dumpID, facts: facts,
                                    readBack: staged.readBack)
        return PendingFile(file: file, staged: staged, ingested: ingested, elapsed: ContinuousClock.now - started)
    }

    /// Reads a source file into a temp file in the store, probing it first; a file that changed
    /// during the copy is copied again up to `changed_file_retries` times, then kept as read
    /// (and flagged).
    func stageRetrying(_ file: ScannedFile, dumpID: Int64, startWriteback: Bool) throws
        -> (PipelinedCopier.StagedCopy, MediaInfo) {
        var attempt = 0
        while true {
            let fd = try DumpScanner().openFile(root: medium.root, path: file.path)
            defer { close(fd) }
            let media = probe(fd: fd, file: file)
            let monitor = context.monitor
            let compact = file.size < Self.stagedAlone(from: context.copier, context.config.ingest)  // staged beside others
            let staged = try context.copier.stage(sourceFD: fd, displayPath: file.path.display, startWriteback: startWriteback,
                                                  compactRing: compact) {
                monitor.advance(dumpID, by: $0)
            }
            if staged.changedDuringCopy && attempt < context.config.ingest.changedFileRetries {
                staged.discard()
                monitor.advance(dumpID, by: -Int(clamping: staged.size))  // read again below
                attempt += 1
                logger.notice("file changed during copy; retrying", metadata: ["path": "\(file.path.display)", "attempt": "\(attempt)"])
                continue
            }
            return (staged, media)
        }
    }

    func probe(fd: Int32, file: ScannedFile) -> MediaInfo {
        MediaProbe.probe(FileDescriptorReader(fd: fd, size: file.size), fileExtension: (file.path.display as NSString).pathExtension,
                         timeZone: context.timeZone)
    }

    /// The catalog entry for a copied file: identification from its name, path and probe.
    func ingestedFile(_ file: ScannedFile, sha256: String, size: UInt64, mtime: Date?, changed: Bool, media: MediaInfo,
                              dumpID: Int64, facts: MediumFacts, readBack: ReadBackCheck? = nil) -> IngestedFile {
        let parsed = context.grammars.parse(relativePath: file.path.display, timeZone: context.timeZone)
        let id = ClipIdentification(path: file.path, parsed: parsed, media: media, mtime: file.mtime,
                                    mediumBadge: facts.badge, mediumSerial: facts.serial)
        var flags = id.flags
        // A field the identity files disagree on, needed because the name lacks it (item 4).
        if (parsed?.badge == nil && facts.conflicts.contains("badge")) || (parsed?.serial == nil && facts.conflicts.contains("serial")) {
            flags.append(.identityConflict)
        }
        if changed { flags.append(.changedDuringCopy) }
        // Due time and lateness are judged by the catalog with the handover it matches.
        var clip = Clip(sha256: sha256, sizeBytes: size, mediaKind: media.kind.rawValue,
                        format: media.format, recordedAt: id.recordedAt, durationSeconds: media.durationSeconds,
                        timeSource: id.timeSource.rawValue, deviceSerial: id.deviceSerial,
                        officerBadge: id.officerBadge, ingestedAt: Date(), dueAt: nil, late: false,
                        flags: flags.map(\.rawValue), sourcePath: file.path.display)
        clip.clockOffsetSeconds = facts.offsetSeconds
        clip.timeReason = id.time.reason.rawValue
        clip.containerRecordedAt = id.time.containerTime
        clip.nameRecordedAt = id.time.nameTime
        return IngestedFile(dumpID: dumpID, sourcePath: file.path, sourceSize: size, sourceMtime: mtime, clip: clip, grammar: id.grammar,
                            readBack: readBack)
    }

}
