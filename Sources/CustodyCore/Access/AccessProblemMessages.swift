import Foundation

/// The sentences a clerk reads, in English and Chinese. Kept apart from the
/// rules so wording can change without touching a decision.
extension AccessProblem {
    public var message: String {
        switch self {
        case .missingRequesterName: "The requester's name is missing."
        case .missingUnit: "The requester's unit or firm is missing."
        case .missingAuthorityBody: "State which authority the requester comes from."
        case .noClips: "No clip is named in the request."
        case .malformedClipHash(let h): "\"\(h)\" is not a clip address (64 lowercase hex digits)."
        case .missingPurpose: "The purpose of the request is missing."
        case .missingClerk: "The registering clerk is unknown."
        case .missingDocument(let k): "Missing document: \(k.nameEn) (\(k.nameZh))."
        case .unverifiedDocument(let k): "The \(k.nameEn) has not been verified against the original."
        case .caseHandlerMayNotExport: "The case handler may view footage but may not take media out."
        case let .caseNotConcluded(clip, caseNumber):
            "Clip \(clip.prefix(12))… belongs to case \(caseNumber), which is not closed or archived; "
                + "parties and lawyers only receive footage of concluded cases."
        case let .confidentialHandledApart(clip, flags):
            "Clip \(clip.prefix(12))… touches \(flags.map(\.nameEn).joined(separator: ", ")); "
                + "it is handled apart and cannot be released through this register."
        case .approvalMissing(let t): "Approval by the \(t.nameEn) is required; no release without approval."
        case let .wrongApproverTitle(required, given):
            "Approval must come from the \(required.nameEn), not the \(given.nameEn)."
        case .samePerson(let p): p.message + "."
        case .requesterUnresolved(let u): "The requester's station user \"\(u)\" was recorded before accounts were identities and matches no account; register the request again."
        case .approvalInFuture(let d): "The approval is dated \(Self.day(d)), in the future."
        case let .approvalExpired(at, days):
            "The approval of \(Self.day(at)) is older than \(days) days and has expired; ask for a new one."
        case .caseHandlerBadgeMissing:
            "A case handler's request must give the handler's badge (--badge); it is compared with the handler recorded on the case."
        case let .notTheCaseHandler(clip, caseNumber, handler, badge):
            if caseNumber.isEmpty {
                "Clip \(clip.prefix(12))… is in no case, so it has no case handler; register the request as agency staff (the agency head approves)."
            } else if let handler {
                "Clip \(clip.prefix(12))… belongs to case \(caseNumber), handled by \(handler.shown), not badge \(badge); "
                    + "\(handler.name.isEmpty ? "the handler" : handler.name) may ask as case handler, anyone else registers as agency staff (the agency head approves)."
            } else {
                "Case \(caseNumber) of clip \(clip.prefix(12))… records no handler; record one on the case, or register the request as agency staff."
            }
        case .requestDenied: "The request was denied; nothing may be viewed, copied or taken out under it."
        case .viewOnly: "The request is for viewing only; nothing may be copied or taken out under it."
        case let .copiesUsedUp(allowed, made):
            "The approval allows \(allowed) cop\(allowed == 1 ? "y" : "ies") and \(made) \(made == 1 ? "was" : "were") made; register a new request for another."
        case .badCopies(let n): "The number of copies must be between 1 and \(AccessPolicyRules.maxCopies), not \(n)."
        }
    }

    public var messageZh: String {
        switch self {
        case .missingRequesterName: "未填写申请人姓名。"
        case .missingUnit: "未填写申请人所在单位。"
        case .missingAuthorityBody: "请注明申请人所属机关。"
        case .noClips: "申请中未列明任何视频片段。"
        case .malformedClipHash(let h): "“\(h)”不是有效的片段编号（应为64位小写十六进制）。"
        case .missingPurpose: "未填写调阅用途。"
        case .missingClerk: "登记人不明。"
        case .missingDocument(let k): "缺少材料：\(k.nameZh)。"
        case .unverifiedDocument(let k): "\(k.nameZh)尚未核验原件。"
        case .caseHandlerMayNotExport: "办案人员可以查看，但不得将存储介质带出。"
        case let .caseNotConcluded(clip, caseNumber):
            "片段 \(clip.prefix(12))… 所属案件 \(caseNumber) 尚未结案或归档；当事人及律师只能查阅已结案的音视频资料。"
        case let .confidentialHandledApart(clip, flags):
            "片段 \(clip.prefix(12))… 涉及\(flags.map(\.nameZh).joined(separator: "、"))，须另行处理，不得经本登记提供。"
        case .approvalMissing(let t): "须经\(t.nameZh)审批；未经审批不得提供。"
        case let .wrongApproverTitle(required, given): "应由\(required.nameZh)审批，而非\(given.nameZh)。"
        case .samePerson(let p): p.messageZh + "。"
        case .requesterUnresolved(let u): "申请人的本站用户“\(u)”无法对应到账户，请重新登记申请。"
        case .approvalInFuture(let d): "审批日期 \(Self.day(d)) 晚于当前时间。"
        case let .approvalExpired(at, days): "\(Self.day(at)) 的审批已超过\(days)日，已过期，请重新申请审批。"
        case .caseHandlerBadgeMissing: "办案人员申请须填写本人警号（--badge），以与案件登记的承办人核对。"
        case let .notTheCaseHandler(clip, caseNumber, handler, badge):
            if caseNumber.isEmpty {
                "片段 \(clip.prefix(12))… 未归入任何案件，没有承办人；请按本单位其他人员登记申请（经单位负责人审批）。"
            } else if let handler {
                "片段 \(clip.prefix(12))… 所属案件 \(caseNumber) 的承办人是\(handler.shownZh)，而非警号 \(badge)；"
                    + "只有承办人本人可按办案人员申请，其他人员请按本单位其他人员登记（经单位负责人审批）。"
            } else {
                "片段 \(clip.prefix(12))… 所属案件 \(caseNumber) 未登记承办人；请先在案件中登记承办人，或按本单位其他人员登记申请。"
            }
        case .requestDenied: "该申请已被驳回，不得据此查看、复制或导出。"
        case .viewOnly: "该申请仅限查看，不得复制或带走。"
        case let .copiesUsedUp(allowed, made): "审批准许复制/导出 \(allowed) 份，已制作 \(made) 份，份数已用完；如需再取，请重新申请。"
        case .badCopies(let n): "份数须在 1 至 \(AccessPolicyRules.maxCopies) 之间，而非 \(n)。"
        }
    }

    /// Calendar day in UTC+8, the time the register is kept in.
    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
