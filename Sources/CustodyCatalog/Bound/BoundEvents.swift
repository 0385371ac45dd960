/// The registry of event kinds that change bound state, and which tables' rows each carries.
///
/// This is the one place a new kind of change is declared: the writer appends its audit event with
/// the rows it changed (`AuditLog.append(…, rows:)`, which refuses rows of a table its kind does
/// not declare), and the replay takes every row image the chain holds in order, the last image of
/// a row being the state the chain implies. An event of an unregistered kind that carries rows,
/// or one carrying a table its kind does not declare, is itself a finding of `audit verify`.
///
/// A kind is an audit action, or a family `prefix.*` for actions made up at run time
/// (`disc.verified`, `access.export`, `officer.deactivate`).
enum BoundEvents {
    static let kinds: [String: Set<BoundTable>] = [
        // Clips: identity, times and their source, device, officer, flags, deadline verdict, retention.
        "clip.ingest": [.clip, .provenance],
        "clip.seen-again": [.provenance],
        "clip.adopt": [.clip],
        "clip.complete-adopted": [.clip],
        "clip.rematch": [.clip],
        // Attribution: a clerk's correction and a re-parse under a new grammar (the clip and the
        // revision row), a docking's clock offset (every clip it found first).
        "clip.correct": [.clip, .clipCorrection],
        "clip.reparse": [.clip, .clipCorrection],
        "dump.clock-offset": [.clip],
        // Authorization: a clip taken out of its case (its retention follows as `clip.retention`).
        "clip.leave-case": [.clip],
        "clip.retention": [.clip],
        "clip.annotate": [.annotation, .clip],
        "clip.long-term": [.longTermMark],
        "clip.dispose": [.tombstone, .clip],
        // Settings changed between starts: every clip judged again, the changed ones in one event.
        "policy.rejudge": [.clip],
        // Cases.
        "case.add": [.legalCase],
        "case.close": [.caseEvent],
        "case.archive": [.caseEvent],
        "case.reopen": [.caseEvent],
        // Holds and confidentiality.
        "hold.add": [.holdEvent],
        "hold.remove": [.holdEvent],
        "confidential.add": [.confidentialityEvent],
        "confidential.remove": [.confidentialityEvent],
        // Disposal by two people.
        "disposal.propose": [.disposalProposal, .disposalItem],
        "disposal.approve": [.disposalDecision],
        // Disc sets and their copies.
        "disc.plan": [.discSet, .discSetItem],
        "disc.*": [.discCopyEvent],
        // The access register.
        "access.request": [.accessRequest],
        "access.approve": [.accessDecision, .accessAllowance],
        "access.deny": [.accessDecision],
        "access.*": [.accessUse],
        // The ledger.
        "officer.*": [.officerRevision],
        "device.*": [.deviceRevision],
        "handover.checkout": [.handover],
        "handover.checkin": [.handover],
        "deadline.exception": [.deadlineException],
        "interruption.add": [.interruption],
        // Rows that existed before binding began, written once by the migration (`BoundBaseline`),
        // and rows a restore re-cataloged from the chain that survived it.
        "audit.baseline": Set(BoundTable.all),
        "catalog.recatalog": [.clip, .provenance],
    ]

    /// The tables an action may carry rows of; empty when it changes no bound state.
    static func tables(for action: String) -> Set<BoundTable> {
        if let exact = kinds[action] { return exact }
        guard let dot = action.firstIndex(of: ".") else { return [] }
        return kinds[action[..<dot] + ".*"] ?? []
    }
}
