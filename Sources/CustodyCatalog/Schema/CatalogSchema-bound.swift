import GRDB

extension CatalogSchema {
    /// Provable-catalog issue, item 1: from this migration on every change to a bound row is an
    /// audit event carrying the row; the rows already there get their baseline in the chain
    /// (`BoundBaseline`), audited as such, so an old catalog verifies like a new one.
    static func bindRowsToChain(_ db: Database) throws {
        try BoundBaseline.write(db, reason: "rows cataloged before every change carried its state; bound to the chain from here on")
    }

    /// Provable-catalog issue, item 2: each checkpoint keeps the tree head signed with the station key.
    static let signedHeadsSQL = """
        ALTER TABLE audit_checkpoint ADD COLUMN signed_head TEXT;
        """

    /// Provable-catalog issue, item 6: what must not change in place is refused by the database
    /// too, so a mistake in code cannot rewrite history (a person with the file can drop a
    /// trigger; the chain catches that). `BoundRowTamperTests.appendOnlyByTheDatabase` tries every
    /// such table; these close the gaps earlier migrations left: a clip's identity (what its file
    /// holds, only while it is a bare adoption a resumed copy completes), provenance, disposal,
    /// disc sets, decisions and flags that were deletable or editable. What is read from a clip's
    /// name and docking (recording time and its source, claimed serial and badge, the device in
    /// force, the clock offset) changes only through a re-parse, a docking's clock offset or a
    /// clerk's correction (attribution issue), each an audit event carrying the row.
    static let appendOnlySQL = """
        CREATE TRIGGER clip_identity_fixed BEFORE UPDATE OF sha256, size_bytes, ingested_at ON clip
            BEGIN SELECT RAISE(ABORT, 'a clip''s hash, size and ingest time never change'); END;
        CREATE TRIGGER clip_source_fixed
            BEFORE UPDATE OF media_kind, format, duration_seconds, first_source_path, container_recorded_at ON clip
            WHEN OLD.flags NOT LIKE '%"adopted-from-store"%'
            BEGIN SELECT RAISE(ABORT, 'what a clip''s file holds (media, container time, first source) never changes; record a correction'); END;
        CREATE TRIGGER provenance_append_only BEFORE UPDATE ON provenance
            BEGIN SELECT RAISE(ABORT, 'provenance is never edited'); END;
        CREATE TRIGGER disposal_proposal_no_delete BEFORE DELETE ON disposal_proposal
            BEGIN SELECT RAISE(ABORT, 'proposals are never deleted'); END;
        CREATE TRIGGER disposal_item_append_only BEFORE UPDATE ON disposal_item
            BEGIN SELECT RAISE(ABORT, 'proposals are never edited'); END;
        CREATE TRIGGER disposal_decision_no_delete BEFORE DELETE ON disposal_decision
            BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;
        CREATE TRIGGER disc_set_append_only BEFORE UPDATE ON disc_set
            BEGIN SELECT RAISE(ABORT, 'disc sets are never edited'); END;
        CREATE TRIGGER disc_set_item_append_only BEFORE UPDATE ON disc_set_item
            BEGIN SELECT RAISE(ABORT, 'disc sets are never edited'); END;
        CREATE TRIGGER access_decision_no_delete BEFORE DELETE ON access_decision
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER confidentiality_event_no_delete BEFORE DELETE ON confidentiality_event
            BEGIN SELECT RAISE(ABORT, 'confidentiality flags are never deleted; record a removal'); END;
        CREATE TRIGGER interruption_append_only BEFORE UPDATE ON interruption
            BEGIN SELECT RAISE(ABORT, 'interruption notes are never edited'); END;
        CREATE TRIGGER review_sample_append_only BEFORE UPDATE ON review_sample
            BEGIN SELECT RAISE(ABORT, 'samples are never edited'); END;
        CREATE TRIGGER review_item_append_only BEFORE UPDATE ON review_item
            BEGIN SELECT RAISE(ABORT, 'samples are never edited'); END;
        CREATE TRIGGER dump_issue_no_delete BEFORE DELETE ON dump_issue
            BEGIN SELECT RAISE(ABORT, 'dump issues are never deleted'); END;
        """
}
