extension CatalogSchema {
    /// Deadlines issue: the upload verdict on every clip, annotations, cases, approved exceptions,
    /// alert de-duplication and spot-check samples. Annotations, case events, exceptions and
    /// findings are append-only like the ledger; the clip row caches the derived values
    /// (first annotation time, current case) that reports and the watch query by.
    static let deadlinesSQL = """
        ALTER TABLE clip ADD COLUMN late_seconds REAL NOT NULL DEFAULT 0;
        ALTER TABLE clip ADD COLUMN deadline_rule TEXT;
        ALTER TABLE clip ADD COLUMN annotation_due_at REAL;
        ALTER TABLE clip ADD COLUMN annotated_at REAL;
        ALTER TABLE clip ADD COLUMN case_number TEXT;
        CREATE INDEX clip_officer ON clip(officer_badge, recorded_at);
        CREATE INDEX clip_unannotated ON clip(annotation_due_at) WHERE annotated_at IS NULL;
        CREATE INDEX clip_case ON clip(case_number);

        CREATE TABLE legal_case (
            number TEXT PRIMARY KEY NOT NULL,
            title TEXT NOT NULL,
            unit TEXT NOT NULL,
            handler_badge TEXT,
            opened_at REAL NOT NULL,
            recorded_by TEXT NOT NULL
        );
        CREATE TABLE case_event (
            id INTEGER PRIMARY KEY,
            case_number TEXT NOT NULL REFERENCES legal_case(number),
            kind TEXT NOT NULL CHECK (kind IN ('closed', 'archived', 'reopened')),
            at REAL NOT NULL,
            note TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX case_event_case ON case_event(case_number, id);

        CREATE TABLE annotation (
            id INTEGER PRIMARY KEY,
            clip_sha256 TEXT NOT NULL REFERENCES clip(sha256),
            case_number TEXT REFERENCES legal_case(number),
            category TEXT NOT NULL,
            place TEXT NOT NULL,
            party TEXT NOT NULL,
            description TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX annotation_clip ON annotation(clip_sha256, id);

        CREATE TABLE deadline_exception (
            id INTEGER PRIMARY KEY,
            handover_id INTEGER NOT NULL REFERENCES handover(id),
            reason TEXT NOT NULL,
            approved_by TEXT NOT NULL,
            approved_at REAL NOT NULL
        );
        CREATE INDEX deadline_exception_handover ON deadline_exception(handover_id);

        CREATE TABLE alert (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL,
            raised_at REAL NOT NULL,
            cleared_at REAL
        );
        CREATE INDEX alert_open ON alert(key, level) WHERE cleared_at IS NULL;

        CREATE TABLE review_sample (
            id INTEGER PRIMARY KEY,
            period TEXT NOT NULL,
            subject TEXT NOT NULL,
            ratio REAL NOT NULL,
            seed INTEGER NOT NULL,
            population INTEGER NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE TABLE review_item (
            sample_id INTEGER NOT NULL REFERENCES review_sample(id),
            ordinal INTEGER NOT NULL,
            subject_key TEXT NOT NULL,
            PRIMARY KEY (sample_id, ordinal)
        );
        CREATE TABLE review_finding (
            id INTEGER PRIMARY KEY,
            sample_id INTEGER NOT NULL REFERENCES review_sample(id),
            ordinal INTEGER NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'problem')),
            note TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );

        CREATE TRIGGER legal_case_append_only BEFORE UPDATE ON legal_case
            BEGIN SELECT RAISE(ABORT, 'cases are never edited; record a case event'); END;
        CREATE TRIGGER legal_case_no_delete BEFORE DELETE ON legal_case
            BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;
        CREATE TRIGGER case_event_append_only BEFORE UPDATE ON case_event
            BEGIN SELECT RAISE(ABORT, 'case events are never edited'); END;
        CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event
            BEGIN SELECT RAISE(ABORT, 'case events are never deleted'); END;
        CREATE TRIGGER annotation_append_only BEFORE UPDATE ON annotation
            BEGIN SELECT RAISE(ABORT, 'annotations are never edited; add a new annotation'); END;
        CREATE TRIGGER annotation_no_delete BEFORE DELETE ON annotation
            BEGIN SELECT RAISE(ABORT, 'annotations are never deleted'); END;
        CREATE TRIGGER deadline_exception_append_only BEFORE UPDATE ON deadline_exception
            BEGIN SELECT RAISE(ABORT, 'exceptions are never edited'); END;
        CREATE TRIGGER deadline_exception_no_delete BEFORE DELETE ON deadline_exception
            BEGIN SELECT RAISE(ABORT, 'exceptions are never deleted'); END;
        CREATE TRIGGER review_finding_append_only BEFORE UPDATE ON review_finding
            BEGIN SELECT RAISE(ABORT, 'findings are never edited; record a new finding'); END;
        CREATE TRIGGER review_finding_no_delete BEFORE DELETE ON review_finding
            BEGIN SELECT RAISE(ABORT, 'findings are never deleted'); END;
        CREATE TRIGGER review_sample_no_delete BEFORE DELETE ON review_sample
            BEGIN SELECT RAISE(ABORT, 'samples are never deleted'); END;
        CREATE TRIGGER review_item_no_delete BEFORE DELETE ON review_item
            BEGIN SELECT RAISE(ABORT, 'samples are never deleted'); END;
        """
}
