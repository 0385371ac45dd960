import CustodyAPI
import CustodyArchive
import CustodyCatalog
import CustodyCore
import Foundation

/// What one audit row means in a clip's chain of custody, in Chinese: the stage of the clip's life
/// it belongs to, a title a court clerk understands, and its particulars. Every action the daemon
/// writes has its words here (`CustodyEventTextTests` walks the actions in the sources); an action
/// added later without words is still listed, under its code.
enum CustodyEventText {
    struct Words: Equatable {
        var stage: String
        var title: String
        var detail: String
        /// When it happened, if not when it was written down (a handover entered into the ledger later).
        var happenedAt: Date? = nil
    }

    /// The words for `entry`, whose detail is `detail` (the row's JSON object).
    static func words(_ entry: AuditEntry, detail d: [String: String], zone: TimeZone, handovers: [Int64: Handover] = [:]) -> [Words] {
        let copy = entry.object.hasPrefix("disc:") && entry.object.split(separator: "-").count == 4
            ? String(entry.object.split(separator: "-").last!) : ""
        let set = entry.object.hasPrefix("disc:") ? String(entry.object.dropFirst(5).prefix(12)) : ""
        let flags = { (text: String) in
            text.isEmpty ? "无" : Vocabulary.flagList(text.split(separator: ",").map(String.init))
        }
        switch entry.action {
        case "dump.start":
            return [Words(stage: "docking", title: "记录仪接入（导入 \(entry.object.dropFirst(5))）",
                          detail: "挂载点 \(d["mountPoint"] ?? "—")，来源 \(d["source"] ?? "—")，文件系统 \(d["fsType"] ?? "—")")]
        case "dump.resume":
            return [Words(stage: "docking", title: "记录仪再次接入，继续导入 \(entry.object.dropFirst(5))", detail: d["mountPoint"] ?? "")]
        case let action where action.hasPrefix("dump."):
            let state = String(action.dropFirst(5))
            return [Words(stage: "docking", title: "导入 \(entry.object.dropFirst(5))：\(Vocabulary.name(Vocabulary.dumpStates, state))",
                          detail: dumpReason(d["reason"] ?? ""))]
        case "clip.ingest":
            return [Words(stage: "copy", title: "复制入库",
                          detail: "自导入 \(d["dump"] ?? "—") 的 \(d["path"] ?? "—") 复制，\(d["size"] ?? "—") 字节，存入只读的内容寻址存储"),
                    Words(stage: "verification", title: "入库校验通过",
                          detail: d["readBack"] == ReadBackCheck.xxh3.rawValue
                            ? "写入后绕过缓存回读，XXH3-128 校验值与复制时的字节一致（SHA-256 由复制时读出的字节计算）；此后才登记入目录"
                            : "写入后绕过缓存回读，SHA-256 与复制时一致；此后才登记入目录")]
        case "clip.seen-again":
            return [Words(stage: "copy", title: "再次接入（内容相同，未重复存储）", detail: "导入 \(d["dump"] ?? "—") 的 \(d["path"] ?? "—")")]
        case "clip.adopt", "clip.complete-adopted":
            return [Words(stage: "copy", title: "重启后补录目录", detail: "存储中已校验的文件在守护进程重启后补登记入目录")]
        case "clip.rematch":
            let officer = d["officer"].flatMap { $0.isEmpty ? nil : $0 } ?? "无"
            return [Words(stage: "matching", title: "台账重新匹配",
                          detail: "警号 \(d["was"].flatMap { $0.isEmpty ? nil : $0 } ?? "无") → \(officer)，交接 \(d["handover"].flatMap { $0.isEmpty ? nil : $0 } ?? "无")，标记：\(flags(d["flags"] ?? ""))")]
        case let action where action.hasPrefix("clip.correct") || action.hasPrefix("clip.reparse"):
            return [Words(stage: "correction", title: "更正", detail: plain(d))]
        case "clip.annotate":
            let parts = [("案件", d["case"]), ("类别", d["category"]), ("地点", d["place"]), ("当事人", d["party"]), ("内容", d["description"])]
                .compactMap { label, value in value.flatMap { $0.isEmpty ? nil : "\(label) \($0)" } }
            return [Words(stage: "annotation", title: "标注", detail: parts.joined(separator: "，"))]
        case "clip.long-term":
            return [Words(stage: "mark", title: "标记长期保存",
                          detail: [Vocabulary.name(Vocabulary.longTermReasons, d["reason"] ?? ""), d["note"] ?? ""]
                            .filter { !$0.isEmpty }.joined(separator: "："))]
        case "clip.retention":
            let until = d["retainUntil"].flatMap(Double.init).map { "保存至 " + PaperTime.minute(Date(timeIntervalSince1970: $0), zone) } ?? "长期保存"
            return [Words(stage: "mark", title: "保存期限确定",
                          detail: "保存类别 \(Vocabulary.name(Vocabulary.retentionClasses, d["class"] ?? ""))，\(until)")]
        case "policy.rejudge":
            return [Words(stage: "mark", title: "保存期限和期限规则变更，重新判定",
                          detail: "重新判定 \(d["clips"] ?? "—") 条录像，\(d["changed"] ?? "—") 条有变化；原设置 \(d["was"].flatMap { $0.isEmpty ? nil : $0 } ?? "未记录")；新设置 \(d["settings"] ?? "—")")]
        case "policy.retention-override":
            return [Words(stage: "mark", title: "常规保存期限超出规定范围（已说明理由）",
                          detail: "保存 \(d["months"] ?? "—") 个月，规定 \(d["range"] ?? "10–24") 个月；理由：\(d["reason"] ?? "—")")]
        case "confidential.add", "confidential.remove":
            return [Words(stage: "mark", title: entry.action == "confidential.add" ? "设定密级" : "解除密级",
                          detail: Vocabulary.name(Vocabulary.confidentiality, kebab(d["flag"] ?? "")) + scope(entry))]
        case "hold.add", "hold.remove":
            return [Words(stage: "hold", title: entry.action == "hold.add" ? "法律保全（暂停销毁）" : "解除保全",
                          detail: (d["reason"] ?? "") + scope(entry))]
        case "clip.view-confidential":
            return [Words(stage: "look", title: "查看涉密录像信息", detail: "密级：" + (d["flags"] ?? "").split(separator: ",")
                .map { Vocabulary.name(Vocabulary.confidentiality, kebab(String($0))) }.joined(separator: "、"))]
        case "clip.play":
            return [Words(stage: "look", title: "播放录像", detail: "字节 \(d["range"] ?? "—")（共 \(d["size"] ?? "—") 字节）"
                + (d["flags"].map { "，密级：" + $0.split(separator: ",").map { Vocabulary.name(Vocabulary.confidentiality, kebab(String($0))) }.joined(separator: "、") } ?? ""))]
        case "clip.leave-case":
            return [Words(stage: "annotation", title: "移出案件 \(d["case"] ?? "—")", detail: "理由：\(d["reason"] ?? "—")")]
        case "case.view-confidential":
            return [Words(stage: "look", title: "查看涉密案件（\(entry.object.dropFirst(5))）", detail: "密级：" + (d["flags"] ?? "").split(separator: ",")
                .map { Vocabulary.name(Vocabulary.confidentiality, kebab(String($0))) }.joined(separator: "、"))]
        case "store.claim":
            return [Words(stage: "integrity", title: "证据存储区登记所属目录", detail: "存储区 \(d["store"] ?? "—") 自此只服务本目录（另一目录的守护进程将被拒绝启动）")]
        case "interruption.add":
            return [Words(stage: "annotation", title: "中止记录说明", detail: plain(d))]
        case "case.add":
            return [Words(stage: "case", title: "案件登记（\(entry.object.dropFirst(5))）",
                          detail: "案件名称 \(d["title"] ?? "")" + (d["handler"].flatMap { $0.isEmpty ? nil : "，办案人警号 \($0)" } ?? ""))]
        case "case.close", "case.archive", "case.reopen":
            let title = ["case.close": "案件办结", "case.archive": "案件归档", "case.reopen": "案件重新办理"][entry.action]!
            return [Words(stage: "case", title: "\(title)（\(entry.object.dropFirst(5))）", detail: d["note"] ?? "")]
        case "disc.plan":
            return [Words(stage: "disc", title: "编入光盘组 \(entry.object.dropFirst(5))", detail: "光盘类型 \(d["media"] ?? "—")，共 \(d["clips"] ?? "—") 个文件")]
        case let action where action.hasPrefix("disc."):
            let state = String(action.dropFirst(5))
            let said = d["detail"] ?? ""
            let what: String
            switch state {
            case "burning": what = said.hasPrefix("maker=") ? "制作人 " + said.dropFirst(6) : said
            case "burned": what = "写入 " + said
            case "verified": what = verified(said)
            case "failed": what = "未通过或中断：" + said
            case "label-confirmed": what = said == "label printed and attached" ? "标签已打印并贴附" : said
            case "stored": what = "存放位置：" + said
            case "superseded":
                let f = DiscWorkshop.fields(said)
                what = "替换原因：\(f["reason"] ?? "—")；原盘制作人 \(f["maker"] ?? "—")，原状态 \(Vocabulary.name(Vocabulary.discCopyStates, f["was"] ?? ""))"
                    + (f["location"].flatMap { $0.isEmpty ? nil : "，原存放位置 \($0)" } ?? "")
            default: what = said
            }
            return [Words(stage: "disc", title: "光盘 \(set) \(copy)盘：\(Vocabulary.name(Vocabulary.discCopyStates, state))", detail: what)]
        case "access.request":
            return [Words(stage: "access", title: "调阅申请登记（第 \(entry.object.dropFirst(7)) 号）",
                          detail: "\(d["requester"] ?? "")（\(d["unit"] ?? "")，\(Vocabulary.name(Vocabulary.requesterKinds, kebab(d["kind"] ?? "")))），"
                            + "事项：\(Vocabulary.name(Vocabulary.accessActions, d["action"] ?? ""))，事由：\(d["purpose"] ?? "")")]
        case "access.approve", "access.deny":
            return [Words(stage: "access", title: "调阅申请第 \(entry.object.dropFirst(7)) 号\(entry.action == "access.approve" ? "批准" : "驳回")",
                          detail: [Vocabulary.name(Vocabulary.approverTitles, d["title"].map(kebab) ?? ""), d["copies"].map { "准许复制/导出 \($0) 份" } ?? "",
                                   d["note"] ?? ""]
                            .filter { !$0.isEmpty }.joined(separator: "，"))]
        case "access.export", "access.copy":
            return [Words(stage: "export", title: "\(entry.action == "access.export" ? "调取导出" : "复制")（调阅申请第 \(entry.object.dropFirst(7)) 号）",
                          detail: d["detail"] ?? "")]
        case let action where action.hasPrefix("access."):
            return [Words(stage: "look", title: "\(Vocabulary.name(Vocabulary.accessActions, String(action.dropFirst(7))))（调阅申请第 \(entry.object.dropFirst(7)) 号）",
                          detail: d["detail"] ?? plain(d))]
        case "clip.dispose":
            return [Words(stage: "disposal", title: "销毁（双人审批）",
                          detail: "第 \(d["proposal"] ?? "—") 号销毁提议，提议人 \(d["proposedBy"] ?? "—")，批准人 \(entry.actor)；目录记录和墓碑保留")]
        case "clip.disposed-returned":
            return [Words(stage: "disposal", title: "已销毁录像被再次接入（拒收，未重新存储）",
                          detail: "导入 \(d["dump"] ?? "—") 的 \(d["path"] ?? "—")，\(d["size"] ?? "—") 字节；已于第 \(d["proposal"] ?? "—") 号销毁建议销毁")]
        case "clip.dispose-finished":
            return [Words(stage: "disposal", title: "销毁完成（重启后续做）", detail: plain(d))]
        case "scrub.missing", "scrub.changed", "store.missing", "store.mismatch":
            let missing = entry.action.hasSuffix("missing")
            return [Words(stage: "integrity", title: missing ? "完整性检查：存储文件缺失" : "完整性检查：存储文件被改动", detail: plain(d))]
        case "catalog.recatalog":
            return [Words(stage: "integrity", title: "恢复后依审计记录重新登记入目录", detail: plain(d))]
        case "catalog.restore":
            return [Words(stage: "integrity", title: "目录自备份恢复", detail: plain(d))]
        case "catalog.backup":
            return [Words(stage: "integrity", title: "目录备份", detail: plain(d))]
        case "audit.baseline":
            return [Words(stage: "integrity", title: "目录记录绑定审计链（基线）", detail: plain(d))]
        case "audit.checkpoint":
            return [Words(stage: "integrity", title: "审计检查点（已签名）", detail: d["reason"] ?? "")]
        case "audit.key-created":
            return [Words(stage: "integrity", title: "生成站点签名密钥", detail: plain(d))]
        case "audit.view-confidential":
            return [Words(stage: "look", title: "查看含涉密内容的审计日志", detail: plain(d))]
        case "integrity.acknowledge":
            return [Words(stage: "integrity", title: "完整性告警已确认", detail: "理由：\(d["reason"] ?? "—")")]
        case "clip.custody-report":
            let purpose = d["purpose"] ?? ""
            return [Words(stage: "report", title: "生成监管链报告",
                          detail: purpose.hasPrefix("export access:") ? "随调阅申请第 \(purpose.dropFirst(14)) 号的导出生成" : "查询生成")]
        case "handover.checkout":
            let out = d["handover"].flatMap(Int64.init).flatMap { handovers[$0]?.checkedOutAt }
            return [Words(stage: "matching", title: "记录仪领用（第 \(d["handover"] ?? "—") 号交接）",
                          detail: "设备 \(entry.object.dropFirst(7)) 交警号 \(d["officer"] ?? "—")" + (d["offsite"] == "true" ? "，异地／连续执勤" : "")
                            + "（\(PaperTime.minute(entry.at, zone)) 登记）", happenedAt: out)]
        case "handover.checkin":
            let back = d["handover"].flatMap(Int64.init).flatMap { handovers[$0]?.checkedInAt }
            return [Words(stage: "matching", title: "记录仪归还（第 \(d["handover"] ?? "—") 号交接）",
                          detail: "设备 \(entry.object.dropFirst(7))，警号 \(d["officer"] ?? "—")（\(PaperTime.minute(entry.at, zone)) 登记）",
                          happenedAt: back)]
        default:
            return [Words(stage: "other", title: entry.action, detail: plain(d))]
        }
    }

    /// The daemon's reasons for a dump's state, in Chinese where it has said them before.
    static func dumpReason(_ reason: String) -> String {
        let known = ["daemon stopped; resumes at next start": "守护进程停止，下次启动时继续", "space available again; resumed": "存储空间恢复，继续导入"]
        if let chinese = known[reason] { return chinese }
        let numbers = reason.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        if reason.hasSuffix("refused or failed"), numbers.count == 2 {
            return "共 \(numbers[0]) 个文件，\(numbers[1]) 个拒收或失败"
        }
        return reason
    }

    /// A copy's read-back verdict (`<source>: PASSED <source>: 4 files, 246590 bytes read back…`) in Chinese.
    static func verified(_ detail: String) -> String {
        let source = detail.components(separatedBy: ": ").first ?? detail
        let numbers = detail.components(separatedBy: "\n").first.map { line in
            line.components(separatedBy: ": ").last?.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) } ?? []
        } ?? []
        guard numbers.count >= 2 else { return detail }
        return "自 \(source) 逐个回读 \(numbers[0]) 个文件（\(numbers[1]) 字节），SHA-256 均与目录一致，清单一致，会话 MD5 一致"
    }

    /// "（案件 A-2026-7）" when a row is about the clip's case rather than the clip.
    static func scope(_ entry: AuditEntry) -> String {
        entry.object.hasPrefix("case:") ? "（案件 \(entry.object.dropFirst(5))）" : ""
    }

    /// A detail object as "key=value" pairs, for rows without words of their own.
    static func plain(_ d: [String: String]) -> String {
        d.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "，")
    }

    /// `stateSecret` → `state-secret` (the catalog stores some codes in camel case).
    static func kebab(_ text: String) -> String {
        text.reduce(into: "") { out, c in if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) } }
    }
}
