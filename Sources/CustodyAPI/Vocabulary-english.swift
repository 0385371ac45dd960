/// The English for the codes in `Vocabulary`'s tables (`GET /v1/vocabulary`, the web console in
/// English). A code's English is the code with its hyphens read as spaces ("no-handover": "no
/// handover") unless a table here words it otherwise.
extension Vocabulary {
    public static let englishWords: [String: [String: String]] = [
        "flags": [
            "media-damaged": "file incomplete", "non-utf8-name": "file name not UTF-8",
            "adopted-from-store": "adopted from the store after a restart", "time-from-file-time": "time from the file's modification time",
            "time-implausible": "implausible recording time", "late": "uploaded late",
            "time-zone-shift": "recording's time off by whole hours (file-name time used)",
            "time-sources-disagree": "recording's time and file-name time disagree", "identity-conflict": "device identity files disagree",
            "device-unknown": "device unknown (from the handovers)",
        ],
        "discCopyStates": ["none": "not burned", "burned": "burned, not verified", "superseded": "replaced (its record kept)"],
        "requesterKinds": ["agency-staff": "other agency staff", "other-region": "agency of another region"],
        "decisions": ["direct": "no approval needed", "used-up": "copies used up"],
        "approverTitles": ["legal-office-head": "head of the legal office", "agency-head": "head of the agency"],
        "retentionClasses": ["evidence": "evidence (kept with the case file)", "long-term": "long-term (burned to disc)"],
        "longTermReasons": [
            "objection": "objection, complaint or petition likely", "obstruction": "law enforcement obstructed, officers insulted or assaulted",
            "mass-incident": "mass or sudden incident", "evidence": "used as evidence", "other-major": "other major or sensitive matter",
        ],
        "interruptionReasons": ["battery": "battery low", "storage-full": "storage full", "weather": "bad weather",
                                "obstruction": "obstructed at the scene"],
        "timeSources": ["container": "recording time in the file", "file-time": "file modification time"],
        "reviewOutcomes": ["pass": "passed", "problem": "problem found"],
        "anchorVerdicts": [
            "consistent": "consistent (today's log extends that head)", "rolled-back": "catalog rolled back",
            "rechained": "audit chain rewritten", "bad-signature": "signature invalid", "foreign-key": "signed by another station's key",
            "superseded": "superseded by a restore",
        ],
        "integrityStates": ["ok": "intact", "alarm": "integrity alarm", "acknowledged": "alarm acknowledged"],
        "disposalParts": ["store-file": "store file", "catalog-row": "catalog row", "tombstone": "disposal record (tombstone)",
                          "audit-rows": "audit rows"],
        "jobKinds": ["fsck": "store check", "audit-verify": "audit chain check"],
        "deadlineKinds": ["device-out": "out, not dumped", "device-not-dumped": "back, not dumped",
                          "annotation": "clips not annotated", "case-archive": "case not archived"],
        "capacityLevels": ["warning": "low on space", "critical": "critically low on space"],
        "roles": ["clerk": "clerk (ledger)"],
    ]

    /// The English for `code` in the table named `table`.
    public static func english(_ table: String, _ code: String) -> String {
        englishWords[table]?[code] ?? code.split(separator: "-").joined(separator: " ")
    }
}
