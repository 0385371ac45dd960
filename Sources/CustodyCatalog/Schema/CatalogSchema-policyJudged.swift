extension CatalogSchema {
    /// Issue 19, item 3: the retention, calendar and deadline settings the clips were last judged
    /// under (`Catalog.judgedSettings`), one row. A start under other settings judges every clip
    /// again and records the new ones, in the transaction of the audited `policy.rejudge` event
    /// that carries both; the row is only the daemon's memory of what that event said.
    static let policyJudgedSQL = """
        CREATE TABLE policy_judged (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            settings TEXT NOT NULL,
            judged_at REAL NOT NULL
        );
        """
}
