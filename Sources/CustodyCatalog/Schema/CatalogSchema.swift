import GRDB

/// The catalog's versioned migrations. Append-only: a released migration is never edited,
/// a change is a new migration registered after the last one.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            try db.execute(sql: """
                CREATE TABLE dump (
                    id INTEGER PRIMARY KEY,
                    source_kind TEXT NOT NULL,
                    mount_point TEXT NOT NULL,
                    mount_source TEXT NOT NULL,
                    fs_type TEXT NOT NULL,
                    mount_key TEXT NOT NULL,
                    mount_id INTEGER,
                    device_serial TEXT,
                    officer_badge TEXT,
                    state TEXT NOT NULL,
                    state_reason TEXT,
                    started_at REAL NOT NULL,
                    finished_at REAL,
                    files_total INTEGER NOT NULL DEFAULT 0,
                    bytes_total INTEGER NOT NULL DEFAULT 0,
                    files_done INTEGER NOT NULL DEFAULT 0,
                    bytes_done INTEGER NOT NULL DEFAULT 0,
                    errors INTEGER NOT NULL DEFAULT 0,
                    newest_claimed_at REAL,
                    clock_offset_seconds REAL
                );
                CREATE INDEX dump_mount_key ON dump(mount_key);

                CREATE TABLE clip (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
                    size_bytes INTEGER NOT NULL,
                    media_kind TEXT NOT NULL,
                    format TEXT NOT NULL,
                    recorded_at REAL,
                    duration_seconds REAL,
                    time_source TEXT NOT NULL,
                    device_serial TEXT,
                    officer_badge TEXT,
                    ingested_at REAL NOT NULL,
                    due_at REAL,
                    late INTEGER NOT NULL DEFAULT 0,
                    flags TEXT NOT NULL DEFAULT '[]',
                    first_source_path TEXT NOT NULL
                );
                CREATE INDEX clip_recorded_at ON clip(recorded_at);
                CREATE INDEX clip_ingested_at ON clip(ingested_at);

                CREATE TABLE provenance (
                    id INTEGER PRIMARY KEY,
                    clip_sha256 TEXT NOT NULL REFERENCES clip(sha256),
                    dump_id INTEGER NOT NULL REFERENCES dump(id),
                    source_path_raw BLOB NOT NULL,
                    source_path TEXT NOT NULL,
                    source_size INTEGER NOT NULL,
                    source_mtime REAL,
                    parsed_grammar TEXT,
                    copied_at REAL NOT NULL,
                    UNIQUE (dump_id, source_path_raw, clip_sha256)
                );
                CREATE INDEX provenance_clip ON provenance(clip_sha256);

                CREATE TABLE dump_issue (
                    id INTEGER PRIMARY KEY,
                    dump_id INTEGER NOT NULL REFERENCES dump(id),
                    source_path_raw BLOB,
                    source_path TEXT,
                    kind TEXT NOT NULL,
                    message TEXT NOT NULL,
                    at REAL NOT NULL
                );

                CREATE TABLE audit (
                    seq INTEGER PRIMARY KEY,
                    at_ms INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    object TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER clip_no_delete BEFORE DELETE ON clip
                    BEGIN SELECT RAISE(ABORT, 'clips are never deleted; disposal leaves a tombstone'); END;
                CREATE TRIGGER provenance_no_delete BEFORE DELETE ON provenance
                    BEGIN SELECT RAISE(ABORT, 'provenance is never deleted'); END;
                """)
        }
        migrator.registerMigration("v2-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE officer_revision (
                    revision INTEGER PRIMARY KEY,
                    badge TEXT NOT NULL,
                    name TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    active INTEGER NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX officer_revision_badge ON officer_revision(badge, revision);

                CREATE TABLE device_revision (
                    revision INTEGER PRIMARY KEY,
                    serial TEXT NOT NULL,
                    brand TEXT NOT NULL,
                    model TEXT NOT NULL,
                    unit TEXT NOT NULL,
                    keeper_badge TEXT,
                    status TEXT NOT NULL,
                    placeholder INTEGER NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX device_revision_serial ON device_revision(serial, revision);

                CREATE TABLE handover (
                    id INTEGER PRIMARY KEY,
                    serial TEXT NOT NULL,
                    badge TEXT NOT NULL,
                    checked_out_at REAL NOT NULL,
                    checked_in_at REAL,
                    offsite INTEGER NOT NULL,
                    note TEXT NOT NULL,
                    supersedes INTEGER REFERENCES handover(id),
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );
                CREATE INDEX handover_serial ON handover(serial, checked_out_at);
                CREATE UNIQUE INDEX handover_supersedes ON handover(supersedes);

                CREATE TABLE interruption (
                    id INTEGER PRIMARY KEY,
                    handover_id INTEGER REFERENCES handover(id),
                    clip_sha256 TEXT REFERENCES clip(sha256),
                    reason TEXT NOT NULL,
                    note TEXT NOT NULL,
                    reviewed_by TEXT NOT NULL,
                    recorded_by TEXT NOT NULL,
                    recorded_at REAL NOT NULL
                );

                ALTER TABLE clip ADD COLUMN claimed_badge TEXT;
                ALTER TABLE clip ADD COLUMN clock_offset_seconds REAL;
                ALTER TABLE clip ADD COLUMN handover_id INTEGER;
                ALTER TABLE clip ADD COLUMN corrected_recorded_at REAL;
                UPDATE clip SET claimed_badge = officer_badge;
                CREATE INDEX clip_device ON clip(device_serial);

                CREATE TRIGGER officer_revision_append_only BEFORE UPDATE ON officer_revision
                    BEGIN SELECT RAISE(ABORT, 'ledger rows are never edited; add a revision'); END;
                CREATE TRIGGER officer_revision_no_delete BEFORE DELETE ON officer_revision
                    BEGIN SELECT RAISE(ABORT, 'ledger rows are never deleted'); END;
                CREATE TRIGGER device_revision_append_only BEFORE UPDATE ON device_revision
                    BEGIN SELECT RAISE(ABORT, 'ledger rows are never edited; add a revision'); END;
                CREATE TRIGGER device_revision_no_delete BEFORE DELETE ON device_revision
                    BEGIN SELECT RAISE(ABORT, 'ledger rows are never deleted'); END;
                CREATE TRIGGER handover_append_only BEFORE UPDATE ON handover
                    BEGIN SELECT RAISE(ABORT, 'handovers are never edited; record a superseding row'); END;
                CREATE TRIGGER handover_no_delete BEFORE DELETE ON handover
                    BEGIN SELECT RAISE(ABORT, 'handovers are never deleted'); END;
                CREATE TRIGGER interruption_no_delete BEFORE DELETE ON interruption
                    BEGIN SELECT RAISE(ABORT, 'interruption notes are never deleted'); END;

                CREATE VIEW current_officer AS
                    SELECT * FROM officer_revision r WHERE revision = (SELECT max(revision) FROM officer_revision WHERE badge = r.badge);
                CREATE VIEW current_device AS
                    SELECT * FROM device_revision r WHERE revision = (SELECT max(revision) FROM device_revision WHERE serial = r.serial);
                CREATE VIEW current_handover AS
                    SELECT * FROM handover h WHERE NOT EXISTS (SELECT 1 FROM handover n WHERE n.supersedes = h.id);
                """)
        }
        migrator.registerMigration("v3-deadlines") { db in
            try db.execute(sql: CatalogSchema.deadlinesSQL)
        }
        migrator.registerMigration("v4-retention-discs") { db in
            try db.execute(sql: CatalogSchema.retentionSQL)
        }
        migrator.registerMigration("v5-access") { db in
            try db.execute(sql: CatalogSchema.accessSQL)
        }
        migrator.registerMigration("v6-catalog-scale") { db in
            try db.execute(sql: CatalogSchema.scaleSQL)
        }
        migrator.registerMigration("v7-side-files") { db in
            try db.execute(sql: CatalogSchema.sideFilesSQL)
        }
        migrator.registerMigration("v8-identities") { db in
            try db.execute(sql: CatalogSchema.identitiesSQL)
            try CatalogSchema.resolveLegacyRequesters(db)
        }
        migrator.registerMigration("v9-clock-offsets") { db in
            try db.execute(sql: CatalogSchema.clockOffsetsSQL)
        }
        migrator.registerMigration("v10-time-sources") { db in
            try db.execute(sql: CatalogSchema.timeSourcesSQL)
        }
        migrator.registerMigration("v11-corrections") { db in
            try db.execute(sql: CatalogSchema.correctionsSQL)
        }
        migrator.registerMigration("v12-handover-origin") { db in
            try db.execute(sql: CatalogSchema.handoverOriginSQL)
        }
        migrator.registerMigration("v13-catalog-identity") { db in
            try db.execute(sql: CatalogSchema.catalogIdentitySQL)
        }
        migrator.registerMigration("v14-bound-baseline") { db in
            try CatalogSchema.bindRowsToChain(db)
        }
        migrator.registerMigration("v15-signed-heads") { db in
            try db.execute(sql: CatalogSchema.signedHeadsSQL)
        }
        migrator.registerMigration("v16-append-only") { db in
            try db.execute(sql: CatalogSchema.appendOnlySQL)
        }
        migrator.registerMigration("v17-access-allowance") { db in
            try db.execute(sql: CatalogSchema.accessAllowanceSQL)
        }
        migrator.registerMigration("v18-unannotated-live") { db in
            try db.execute(sql: CatalogSchema.unannotatedLiveSQL)
        }
        migrator.registerMigration("v19-policy-judged") { db in
            try db.execute(sql: CatalogSchema.policyJudgedSQL)
        }
        return migrator
    }
}
