extension CatalogSchema {
    /// Performance issue: what the catalog needs to answer in milliseconds at a million clips.
    ///
    /// - `clip_ingest_order` serves the listing (ingest order, keyset paging after a clip) and,
    ///   covering `size_bytes`, the capacity gauge's "bytes of the last week".
    /// - `clip_recorded` / `clip_officer_recorded` index the effective recording time (corrected,
    ///   else camera, else ingest time), the one reports count by, so a month of one officer or of
    ///   the station is a range scan.
    /// - `clip_device_ingest`, `dump_device_started`: the deadline watch asks per handover whether
    ///   the camera was dumped since; `handover_settled` lets it skip handovers too old to matter;
    ///   `clip_unannotated` covers its count of unannotated clips per officer;
    ///   `clip_retention_class` finds the long-term clips waiting for a disc.
    /// - `clip_flag` mirrors each clip's flags (a JSON list) as rows, kept by triggers, so a flag
    ///   filter is an index lookup instead of a scan of every clip's JSON.
    /// - `clip_total` counts clips and late clips, kept by triggers, for `status` and `/metrics`
    ///   (clips are never deleted, so only inserts and late changes move it).
    /// - `audit_object`: a clip's history (`clips show`) without scanning the whole audit log.
    /// - `audit_checkpoint.subtree_roots`: the Merkle accumulator's state at each checkpoint, so the
    ///   next checkpoint hashes only the rows added since.
    static let scaleSQL = """
        DROP INDEX clip_ingested_at;
        CREATE INDEX clip_ingest_order ON clip(ingested_at, sha256, size_bytes);
        DROP INDEX clip_officer;
        CREATE INDEX clip_recorded ON clip(coalesce(corrected_recorded_at, recorded_at, ingested_at));
        CREATE INDEX clip_officer_recorded ON clip(officer_badge, coalesce(corrected_recorded_at, recorded_at, ingested_at));
        DROP INDEX clip_device;
        CREATE INDEX clip_device_ingest ON clip(device_serial, ingested_at);
        CREATE INDEX clip_late ON clip(ingested_at, sha256) WHERE late = 1;
        DROP INDEX clip_unannotated;
        CREATE INDEX clip_unannotated ON clip(officer_badge, annotation_due_at, ingested_at, annotated_at) WHERE annotated_at IS NULL;
        CREATE INDEX clip_retention_class ON clip(retention_class) WHERE disposed_at IS NULL;
        CREATE INDEX dump_device_started ON dump(device_serial, started_at);
        CREATE INDEX handover_settled ON handover(coalesce(checked_in_at, checked_out_at));
        CREATE INDEX audit_object ON audit(object, seq);

        CREATE TABLE clip_flag (
            flag TEXT NOT NULL,
            ingested_at REAL NOT NULL,
            clip_sha256 TEXT NOT NULL,
            PRIMARY KEY (flag, ingested_at, clip_sha256)
        ) WITHOUT ROWID;
        CREATE INDEX clip_flag_clip ON clip_flag(clip_sha256);
        INSERT OR IGNORE INTO clip_flag (flag, ingested_at, clip_sha256)
            SELECT j.value, c.ingested_at, c.sha256 FROM clip c, json_each(c.flags) j;
        CREATE TRIGGER clip_flag_insert AFTER INSERT ON clip BEGIN
            INSERT OR IGNORE INTO clip_flag (flag, ingested_at, clip_sha256)
                SELECT value, NEW.ingested_at, NEW.sha256 FROM json_each(NEW.flags);
        END;
        CREATE TRIGGER clip_flag_update AFTER UPDATE OF flags, ingested_at ON clip BEGIN
            DELETE FROM clip_flag WHERE clip_sha256 = NEW.sha256;
            INSERT OR IGNORE INTO clip_flag (flag, ingested_at, clip_sha256)
                SELECT value, NEW.ingested_at, NEW.sha256 FROM json_each(NEW.flags);
        END;

        CREATE TABLE clip_total (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            clips INTEGER NOT NULL,
            late INTEGER NOT NULL
        );
        INSERT INTO clip_total (id, clips, late) SELECT 1, count(*), coalesce(sum(late), 0) FROM clip;
        CREATE TRIGGER clip_total_insert AFTER INSERT ON clip BEGIN
            UPDATE clip_total SET clips = clips + 1, late = late + NEW.late WHERE id = 1;
        END;
        CREATE TRIGGER clip_total_late AFTER UPDATE OF late ON clip WHEN OLD.late IS NOT NEW.late BEGIN
            UPDATE clip_total SET late = late + NEW.late - OLD.late WHERE id = 1;
        END;

        ALTER TABLE audit_checkpoint ADD COLUMN subtree_roots TEXT;
        """
}
