extension CatalogSchema {
    /// Attribution issue, item 6: a medium's side files (identity files, empty entries, camera
    /// bookkeeping) are kept with the dump that found them, not cataloged as recordings. They are
    /// small (at most 1 MiB), so their bytes live here beside their hash; rows are never changed.
    static let sideFilesSQL = """
        CREATE TABLE dump_side_file (
            id INTEGER PRIMARY KEY,
            dump_id INTEGER NOT NULL REFERENCES dump(id),
            source_path_raw BLOB NOT NULL,
            source_path TEXT NOT NULL,
            kind TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            content BLOB NOT NULL,
            kept_at REAL NOT NULL,
            UNIQUE (dump_id, source_path_raw, sha256)
        );
        CREATE TRIGGER dump_side_file_no_update BEFORE UPDATE ON dump_side_file
            BEGIN SELECT RAISE(ABORT, 'side files are kept as found; never edited'); END;
        CREATE TRIGGER dump_side_file_no_delete BEFORE DELETE ON dump_side_file
            BEGIN SELECT RAISE(ABORT, 'side files are never deleted'); END;
        """
}
