/// The Chinese a clerk reads for every code the API carries: flags, states, kinds, reasons
/// (issue "Chinese on everything a clerk prints or signs"). The daemon prints these on paper and
/// custodyctl shows them under `LANG=zh_CN`; a code missing here falls back to itself, and
/// `VocabularyTests` enumerates every code the catalog knows, so none reaches paper in English.
public enum Vocabulary {
    /// Findings on a clip (`ClipFlag`).
    public static let flags: [String: String] = [
        "unparsed-name": "文件名无法识别", "important": "重要标记", "media-damaged": "文件不完整", "changed-during-copy": "复制时文件变化",
        "non-utf8-name": "文件名非UTF-8编码", "adopted-from-store": "重启后从存储补录", "time-from-file-time": "时间取自文件修改时间",
        "unregistered-device": "设备未登记", "no-handover": "无领用记录", "officer-mismatch": "警号不符", "clock-drift": "设备时钟偏差",
        "time-implausible": "录制时间异常", "late": "超期上传", "time-zone-shift": "录像内时间差整时区（按文件名时间）",
        "time-sources-disagree": "录像内时间与文件名时间不符", "identity-conflict": "设备身份文件互相矛盾",
        "device-unknown": "无法识别设备（按交接记录）", "corrected": "已人工更正",
    ]
    public static let dumpStates: [String: String] = [
        "scanning": "扫描中", "copying": "复制中", "paused": "已暂停", "complete": "已完成", "interrupted": "已中断", "refused": "已拒收",
    ]
    public static let discCopyStates: [String: String] = [
        "none": "未刻录", "burning": "刻录中", "burned": "已刻录，待校验", "verified": "已校验", "failed": "失败",
        "label-confirmed": "标签已核对", "stored": "已入库保存", "superseded": "已被替换（原盘记录保留）",
    ]
    public static let caseStates: [String: String] = ["open": "办理中", "closed": "已办结", "archived": "已归档"]
    public static let deviceStatus: [String: String] = ["in-service": "在用", "repair": "维修中", "retired": "已报废"]
    public static let requesterKinds: [String: String] = [
        "case-handler": "办案人员", "agency-staff": "本单位其他人员", "authority": "有关机关", "party": "当事人", "lawyer": "律师",
        "other-region": "外地机关",
    ]
    public static let accessActions: [String: String] = ["view": "查看", "copy": "复制", "export": "调取"]
    public static let decisions: [String: String] = ["approved": "已批准", "denied": "已驳回", "pending": "待审批", "expired": "已过期",
                                                       "direct": "无需审批", "used-up": "份数已用完"]
    public static let approverTitles: [String: String] = ["legal-office-head": "法制部门负责人", "agency-head": "单位负责人"]
    public static let retentionClasses: [String: String] = ["routine": "常规保存", "evidence": "证据（随案卷保存）", "long-term": "长期保存（刻录光盘）"]
    public static let longTermReasons: [String: String] = [
        "coercive-measure": "采取强制措施", "objection": "当事人有异议、可能投诉或信访",
        "obstruction": "当事人逃避、拒绝、阻碍执法或侮辱、殴打执法人员", "mass-incident": "处置群体性或突发事件",
        "evidence": "作为证据使用", "other-major": "其他重大、敏感事项",
    ]
    public static let interruptionReasons: [String: String] = [
        "device-fault": "设备故障", "battery": "电量不足", "storage-full": "存储空间不足", "weather": "天气恶劣",
        "obstruction": "现场有关人员阻挠", "other": "其他",
    ]
    public static let confidentiality: [String: String] = ["state-secret": "国家秘密", "trade-secret": "商业秘密", "privacy": "个人隐私"]
    public static let mediaKinds: [String: String] = ["video": "视频", "audio": "音频", "photo": "照片", "other": "其他"]
    public static let timeSources: [String: String] = [
        "container": "文件内录制时间", "file-name": "文件名", "file-time": "文件修改时间", "none": "无",
    ]
    public static let reviewOutcomes: [String: String] = ["pass": "合格", "problem": "有问题"]
    /// What a signed head from outside says about today's log (`audit verify --against`).
    public static let anchorVerdicts: [String: String] = [
        "consistent": "一致（今日日志延续该树头）", "rolled-back": "目录被回退", "rechained": "审计链被改写",
        "bad-signature": "签名无效", "foreign-key": "非本站密钥签名", "superseded": "已被恢复操作取代",
    ]
    /// The station's integrity state (`status`).
    public static let integrityStates: [String: String] = [
        "ok": "完整", "checking": "检查中", "alarm": "完整性告警", "acknowledged": "告警已确认",
    ]
    /// A clip's state of keeping: kept, or disposed by two people (its row and tombstone stay).
    public static let clipStates: [String: String] = ["kept": "保存中", "disposed": "已销毁"]
    /// What a disposal removes and keeps of a clip (`disposal show`).
    public static let disposalParts: [String: String] = [
        "store-file": "存储文件", "catalog-row": "目录记录", "tombstone": "销毁记录（墓碑）", "audit-rows": "审计记录",
    ]
    /// A background job's state and kind (`jobs`, `status`).
    public static let jobStates: [String: String] = [
        "queued": "排队中", "running": "运行中", "done": "已完成", "failed": "失败", "cancelled": "已取消",
    ]
    public static let jobKinds: [String: String] = ["fsck": "存储核查", "audit-verify": "审计链核验", "report": "报表", "export": "导出"]
    /// Work with a deadline (`deadlines`), how near it is, and the level of an open alert.
    public static let deadlineKinds: [String: String] = [
        "device-out": "领用未导入", "device-not-dumped": "归还未导入", "annotation": "录像未标注", "case-archive": "案件未归档",
    ]
    public static let deadlineStatuses: [String: String] = ["due-soon": "即将到期", "overdue": "已超期", "escalated": "严重超期"]
    public static let alertLevels: [String: String] = [
        "warning": "警告", "critical": "严重", "due-soon": "即将到期", "overdue": "已超期", "escalated": "严重超期",
    ]
    /// The store's room (`deadlines`, `status`).
    public static let capacityLevels: [String: String] = ["ok": "正常", "warning": "空间不足", "critical": "空间严重不足"]
    /// The roles the config gives a station user (`GET /v1/me`).
    public static let roles: [String: String] = [
        "viewer": "查看", "clerk": "台账操作（内勤）", "approver": "审批", "admin": "管理员", "auditor": "审计",
    ]

    /// Every table above by the name the API gives it (`GET /v1/vocabulary`), so the web console
    /// words a code as paper and custodyctl do. `VocabularyTests` checks that none is left out.
    public static let tables: [String: [String: String]] = [
        "flags": flags, "dumpStates": dumpStates, "discCopyStates": discCopyStates, "caseStates": caseStates,
        "deviceStatus": deviceStatus, "requesterKinds": requesterKinds, "accessActions": accessActions, "decisions": decisions,
        "approverTitles": approverTitles, "retentionClasses": retentionClasses, "longTermReasons": longTermReasons,
        "interruptionReasons": interruptionReasons, "confidentiality": confidentiality, "mediaKinds": mediaKinds,
        "timeSources": timeSources, "reviewOutcomes": reviewOutcomes, "anchorVerdicts": anchorVerdicts,
        "integrityStates": integrityStates, "clipStates": clipStates, "disposalParts": disposalParts, "jobStates": jobStates,
        "jobKinds": jobKinds, "deadlineKinds": deadlineKinds, "deadlineStatuses": deadlineStatuses, "alertLevels": alertLevels,
        "capacityLevels": capacityLevels, "roles": roles,
    ]

    /// The Chinese for `code` in `table`, or the code itself when it has none.
    public static func name(_ table: [String: String], _ code: String) -> String { table[code] ?? code }

    /// Flags as the clerk reads them: "无领用记录、警号不符".
    public static func flagList(_ codes: [String]) -> String { codes.map { name(flags, $0) }.joined(separator: "、") }

    /// Counted flags: "无领用记录×3 警号不符×1", in code order.
    public static func flagCounts(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\(name(flags, $0.key))×\($0.value)" }.joined(separator: " ")
    }
}
