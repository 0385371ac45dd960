extension CatalogSchema {
    /// Access issue: the access register (requests, decisions, what was done), confidentiality
    /// flags, Merkle checkpoints of the audit log, and where the fixity scrub has got to.
    static let accessSQL = """
        CREATE TABLE access_request (
            id INTEGER PRIMARY KEY,
            request TEXT NOT NULL,
            registered_by TEXT NOT NULL,
            registered_uid INTEGER NOT NULL,
            registered_at REAL NOT NULL
        );
        CREATE TABLE access_decision (
            request_id INTEGER PRIMARY KEY REFERENCES access_request(id),
            decision TEXT NOT NULL CHECK (decision IN ('approved', 'denied')),
            title TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            decided_uid INTEGER NOT NULL,
            decided_at REAL NOT NULL,
            note TEXT NOT NULL
        );
        CREATE TABLE access_use (
            id INTEGER PRIMARY KEY,
            request_id INTEGER NOT NULL REFERENCES access_request(id),
            what TEXT NOT NULL,
            detail TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE TABLE confidentiality_event (
            id INTEGER PRIMARY KEY,
            target TEXT NOT NULL,
            flag TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX confidentiality_event_target ON confidentiality_event(target, flag, id);
        CREATE TABLE audit_checkpoint (
            id INTEGER PRIMARY KEY,
            tree_size INTEGER NOT NULL,
            root TEXT NOT NULL,
            reason TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE TABLE scrub_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            pass_started_at REAL NOT NULL,
            last_sha256 TEXT NOT NULL,
            passes_completed INTEGER NOT NULL
        );
        CREATE TRIGGER access_request_append_only BEFORE UPDATE ON access_request
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER access_request_no_delete BEFORE DELETE ON access_request
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER access_decision_append_only BEFORE UPDATE ON access_decision
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER access_use_append_only BEFORE UPDATE ON access_use
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER access_use_no_delete BEFORE DELETE ON access_use
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER confidentiality_event_append_only BEFORE UPDATE ON confidentiality_event
            BEGIN SELECT RAISE(ABORT, 'confidentiality flags are never edited; record a removal'); END;
        CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE ON audit_checkpoint
            BEGIN SELECT RAISE(ABORT, 'checkpoints are never edited'); END;
        CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
            BEGIN SELECT RAISE(ABORT, 'checkpoints are never deleted'); END;
        """
}
