extension CatalogSchema {
    /// Attribution issue, item 1: a docking's clock offset says what it rests on (the newest file
    /// times that agree, the camera's clock file, or a clerk), keeps the daemon's estimate when a
    /// clerk sets or clears it, and counts the files rejected as clock glitches.
    static let clockOffsetsSQL = """
        ALTER TABLE dump ADD COLUMN clock_basis TEXT;
        ALTER TABLE dump ADD COLUMN clock_offset_estimate REAL;
        ALTER TABLE dump ADD COLUMN clock_outliers INTEGER NOT NULL DEFAULT 0;
        UPDATE dump SET clock_basis = 'newest-agreeing', clock_offset_estimate = clock_offset_seconds
            WHERE clock_offset_seconds IS NOT NULL;
        """

    /// Attribution issue, item 2: every source of a clip's recording time is kept (the
    /// container's, the file name's) with the reason one was used. Earlier clips keep the one
    /// source that was recorded.
    static let timeSourcesSQL = """
        ALTER TABLE clip ADD COLUMN time_reason TEXT;
        ALTER TABLE clip ADD COLUMN container_recorded_at REAL;
        ALTER TABLE clip ADD COLUMN name_recorded_at REAL;
        UPDATE clip SET container_recorded_at = recorded_at, time_reason = 'container' WHERE time_source = 'container';
        UPDATE clip SET name_recorded_at = recorded_at, time_reason = 'file-name' WHERE time_source = 'file-name';
        UPDATE clip SET time_reason = time_source WHERE time_reason IS NULL;
        """

    /// Attribution issue, items 4 and 5: the serial a clip's name or medium claims is kept beside
    /// the device in force, and a clerk's corrections (device, officer, recording time) are
    /// columns of their own, so the camera's claims stay visible and matching honours the clerk.
    /// Each correction (and each re-parse under a new grammar) is also an append-only row with the
    /// values before and after (JSON) and the reason.
    static let correctionsSQL = """
        ALTER TABLE clip ADD COLUMN claimed_serial TEXT;
        UPDATE clip SET claimed_serial = device_serial;
        ALTER TABLE clip ADD COLUMN clerk_serial TEXT;
        ALTER TABLE clip ADD COLUMN clerk_badge TEXT;
        ALTER TABLE clip ADD COLUMN clerk_recorded_at REAL;
        CREATE TABLE clip_correction (
            id INTEGER PRIMARY KEY,
            clip_sha256 TEXT NOT NULL REFERENCES clip(sha256),
            kind TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            reason TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at REAL NOT NULL
        );
        CREATE INDEX clip_correction_clip ON clip_correction(clip_sha256, id);
        CREATE TRIGGER clip_correction_no_update BEFORE UPDATE ON clip_correction
            BEGIN SELECT RAISE(ABORT, 'corrections are never edited; record a new one'); END;
        CREATE TRIGGER clip_correction_no_delete BEFORE DELETE ON clip_correction
            BEGIN SELECT RAISE(ABORT, 'corrections are never deleted'); END;
        """

    /// Attribution issue, item 8: a handover keeps the number it was given at check-out. A
    /// check-in (or a correction) is a new row superseding the open one; the current row names
    /// the first row of its chain (`origin_id`), the number the clerk was shown and writes down.
    static let handoverOriginSQL = """
        DROP VIEW current_handover;
        CREATE VIEW current_handover AS
            SELECT h.*, (WITH RECURSIVE chain(id, sup) AS (
                             SELECT h.id, h.supersedes
                             UNION ALL SELECT p.id, p.supersedes FROM handover p JOIN chain ON p.id = chain.sup)
                         SELECT min(id) FROM chain) AS origin_id
            FROM handover h WHERE NOT EXISTS (SELECT 1 FROM handover n WHERE n.supersedes = h.id);
        """
}
