/// Chinese for what the daemon reports by code: error codes, refused-file kinds and dump states.
/// The daemon's detail text follows in English (it names paths, times and values).
enum Messages {
    static let errorCodes: [String: String] = [
        "not-found": "未找到", "method-not-allowed": "不支持的操作", "forbidden": "没有权限",
        "internal": "守护进程内部错误", "bad-request": "请求格式错误", "bad-time": "时间格式错误",
        "too-large": "请求过大，未做任何更改", "unknown-officer": "台账中无此警员", "unknown-device": "台账中无此设备",
        "inactive-officer": "该警员已停用", "device-not-in-service": "设备不在用", "bad-times": "归还时间早于领用时间",
        "overlapping-handover": "交接时间重叠", "not-checked-out": "该设备未被领用", "unknown-handover": "无此交接记录",
        "unknown-clip": "无此录像", "no-subject": "中止记录须指明交接或录像", "officer-has-device": "该警员仍持有设备",
        "device-checked-out": "设备仍在领用中", "bad-reason": "中止原因不正确", "note-required": "须填写说明",
        "bad-badge": "警号格式不正确", "bad-serial": "产品序号格式不正确",
        "unknown-parameter": "不支持的筛选条件", "bad-officer": "警号格式不正确", "bad-device": "设备编号格式不正确",
        "bad-from": "开始时间格式错误", "bad-to": "结束时间不正确", "unknown-case": "案件未登记", "bad-case-number": "案件编号格式不正确",
        "bad-late": "超期条件不正确", "bad-flag": "标记不正确", "bad-limit": "条数不正确", "bad-offset": "跳过条数不正确",
        "bad-after": "分页位置不正确",
        "unknown-user": "本站无此账户", "same-person": "不得由同一人办理", "account-changed": "账户已变更，无法确认身份",
        "approval-refused": "不予审批", "access-refused": "不予登记", "confidential": "涉密",
        "disposed": "录像已销毁", "already-stored": "光盘已保存，不得重新刻录", "nothing-to-replace": "没有可替换的光盘",
        "maker-kept": "制作人沿用首次刻录", "reason-required": "须说明原因",
    ]

    static let issueKinds: [String: String] = [
        "symlink": "符号链接（不跟随）", "fifo": "命名管道（非录像）", "device-node": "设备文件（非录像）",
        "socket": "套接字（非录像）", "unknown-type": "未知文件类型", "other-filesystem": "属于其他文件系统",
        "too-deep": "目录层级过深", "unreadable": "无法读取", "copy-failed": "复制失败",
        "verification-failed": "回读校验失败（存储盘可能有故障）",
        "disposed-clip": "已销毁录像再次接入（拒收，未重新存储；请从记录仪上清除）",
    ]

    static let dumpStates: [String: String] = [
        "scanning": "扫描中", "copying": "复制中", "paused": "已暂停（存储空间不足，腾出空间后自动继续）",
        "complete": "已完成", "interrupted": "已中断（相机被拔出或无法读取，重新插入后自动继续）",
        "refused": "已拒收（不是执法记录仪，未复制任何文件）",
    ]

    /// "没有权限：uid:1000(alice) is not a viewer …" in Chinese, the plain message otherwise.
    static func error(code: String, message: String) -> String {
        guard L10n.chinese else { return message }
        return (errorCodes[code] ?? "操作失败") + "：" + message
    }

    static let sideFileKinds: [String: (String, String)] = [
        "identity": ("identity file", "身份文件"), "empty": ("empty entry", "空文件（如卷标）"),
        "bookkeeping": ("camera bookkeeping", "设备附属文件"),
    ]

    static func sideFile(_ kind: String) -> String { sideFileKinds[kind].map { L10n.text($0.0, zh: $0.1) } ?? kind }
    static func issue(_ kind: String) -> String { L10n.chinese ? issueKinds[kind] ?? kind : kind }
    static func state(_ state: String) -> String { L10n.chinese ? dumpStates[state] ?? state : state }
}
