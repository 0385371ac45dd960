extension CatalogSchema {
    /// Retention issue: retention class and retain-until on every clip, long-term marks, legal
    /// holds, two-person disposal with tombstones, and disc sets with their two copies. Every table
    /// but the clip's derived columns is append-only; a disposed clip keeps its row (the clip
    /// delete trigger of v1 stays) and gains a tombstone.
    static let retentionSQL = """
        ALTER TABLE clip ADD COLUMN retention_class TEXT NOT NULL DEFAULT 'routine';
        ALTER TABLE clip ADD COLUMN retain_until REAL;
        ALTER TABLE clip ADD COLUMN disposed_at REAL;
        CREATE INDEX clip_retain ON clip(retain_until) WHERE disposed_at IS NULL;

        CREATE TABLE long_term_mark (
            id INTEGER PRIMARY KEY,
            clip_sha256 TEXT NOT NULL REFERENCES clip(sha256),
            reason TEXT NOT NULL,
            note TEXT NOT NULL,
            marked_by TEXT NOT NULL,
            marked_at REAL NOT NULL
        );
        CREATE INDEX long_term_mark_clip ON long_term_mark(clip_sha256);

        CREATE TABLE hold_event (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            reason TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX hold_event_target ON hold_event(target, id);
        CREATE VIEW active_hold AS
            SELECT e.* FROM hold_event e
            WHERE e.action = 'add' AND e.id = (SELECT max(id) FROM hold_event WHERE target = e.target);

        CREATE TABLE disposal_proposal (
            id INTEGER PRIMARY KEY,
            proposed_by TEXT NOT NULL,
            proposer_uid INTEGER NOT NULL,
            proposed_at REAL NOT NULL
        );
        CREATE TABLE disposal_item (
            proposal_id INTEGER NOT NULL REFERENCES disposal_proposal(id),
            clip_sha256 TEXT NOT NULL REFERENCES clip(sha256),
            PRIMARY KEY (proposal_id, clip_sha256)
        );
        CREATE TABLE disposal_decision (
            proposal_id INTEGER PRIMARY KEY REFERENCES disposal_proposal(id),
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'refused')),
            decided_by TEXT NOT NULL,
            decided_at REAL NOT NULL,
            note TEXT NOT NULL
        );
        CREATE TABLE tombstone (
            clip_sha256 TEXT PRIMARY KEY NOT NULL REFERENCES clip(sha256),
            size_bytes INTEGER NOT NULL,
            recorded_at REAL,
            ingested_at REAL NOT NULL,
            officer_badge TEXT,
            device_serial TEXT,
            proposal_id INTEGER NOT NULL REFERENCES disposal_proposal(id),
            proposed_by TEXT NOT NULL,
            approved_by TEXT NOT NULL,
            disposed_at REAL NOT NULL
        );

        CREATE TABLE disc_set (
            id TEXT PRIMARY KEY NOT NULL,
            media TEXT NOT NULL,
            used_bytes INTEGER NOT NULL,
            fill_ratio REAL NOT NULL,
            note TEXT NOT NULL,
            planned_by TEXT NOT NULL,
            planned_at REAL NOT NULL
        );
        CREATE TABLE disc_set_item (
            set_id TEXT NOT NULL REFERENCES disc_set(id),
            clip_sha256 TEXT NOT NULL REFERENCES clip(sha256),
            disc_path TEXT NOT NULL,
            PRIMARY KEY (set_id, clip_sha256)
        );
        CREATE INDEX disc_set_item_clip ON disc_set_item(clip_sha256);
        CREATE TABLE disc_copy_event (
            id INTEGER PRIMARY KEY,
            set_id TEXT NOT NULL REFERENCES disc_set(id),
            copy TEXT NOT NULL CHECK (copy IN ('A', 'B')),
            state TEXT NOT NULL,
            detail TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX disc_copy_event_set ON disc_copy_event(set_id, copy, id);

        CREATE TRIGGER long_term_mark_append_only BEFORE UPDATE ON long_term_mark
            BEGIN SELECT RAISE(ABORT, 'long-term marks are never edited'); END;
        CREATE TRIGGER long_term_mark_no_delete BEFORE DELETE ON long_term_mark
            BEGIN SELECT RAISE(ABORT, 'long-term marks are never deleted'); END;
        CREATE TRIGGER hold_event_append_only BEFORE UPDATE ON hold_event
            BEGIN SELECT RAISE(ABORT, 'holds are never edited; record a removal'); END;
        CREATE TRIGGER hold_event_no_delete BEFORE DELETE ON hold_event
            BEGIN SELECT RAISE(ABORT, 'holds are never deleted; record a removal'); END;
        CREATE TRIGGER disposal_proposal_append_only BEFORE UPDATE ON disposal_proposal
            BEGIN SELECT RAISE(ABORT, 'proposals are never edited'); END;
        CREATE TRIGGER disposal_item_no_delete BEFORE DELETE ON disposal_item
            BEGIN SELECT RAISE(ABORT, 'proposals are never edited'); END;
        CREATE TRIGGER disposal_decision_append_only BEFORE UPDATE ON disposal_decision
            BEGIN SELECT RAISE(ABORT, 'decisions are never edited'); END;
        CREATE TRIGGER tombstone_append_only BEFORE UPDATE ON tombstone
            BEGIN SELECT RAISE(ABORT, 'tombstones are never edited'); END;
        CREATE TRIGGER tombstone_no_delete BEFORE DELETE ON tombstone
            BEGIN SELECT RAISE(ABORT, 'tombstones are never deleted'); END;
        CREATE TRIGGER disc_set_no_delete BEFORE DELETE ON disc_set
            BEGIN SELECT RAISE(ABORT, 'disc sets are never deleted'); END;
        CREATE TRIGGER disc_set_item_no_delete BEFORE DELETE ON disc_set_item
            BEGIN SELECT RAISE(ABORT, 'disc sets are never edited'); END;
        CREATE TRIGGER disc_copy_event_append_only BEFORE UPDATE ON disc_copy_event
            BEGIN SELECT RAISE(ABORT, 'disc copy events are never edited'); END;
        CREATE TRIGGER disc_copy_event_no_delete BEFORE DELETE ON disc_copy_event
            BEGIN SELECT RAISE(ABORT, 'disc copy events are never deleted'); END;
        CREATE TRIGGER clip_disposed_stays BEFORE UPDATE OF disposed_at ON clip
            WHEN OLD.disposed_at IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'a disposed clip stays disposed'); END;
        """
}
