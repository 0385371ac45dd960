extension CatalogSchema {
    /// Access register, issue 19 item 7: how many copies or exports an approval allows, written
    /// with the approval (one row per approved request, bound to the `access.approve` event) and
    /// never changed; the register counts what was made against it. Requests approved before
    /// this table allow what they asked for (one, as none asked for more).
    static let accessAllowanceSQL = """
        CREATE TABLE access_allowance (
            request_id INTEGER PRIMARY KEY REFERENCES access_request(id),
            copies INTEGER NOT NULL CHECK (copies >= 1),
            set_by TEXT NOT NULL,
            set_at REAL NOT NULL
        );
        CREATE TRIGGER access_allowance_append_only BEFORE UPDATE ON access_allowance
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        CREATE TRIGGER access_allowance_no_delete BEFORE DELETE ON access_allowance
            BEGIN SELECT RAISE(ABORT, 'the access register is append-only'); END;
        """
}
