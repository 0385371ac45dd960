// The console's language: Chinese unless the browser asks for English first (the clerks read
// Chinese; RULES.md). Strings are written in both languages where they are used: tr("中文", "English").
const wanted = (navigator.languages && navigator.languages[0]) || navigator.language || "zh-CN";
export const lang = wanted.toLowerCase().startsWith("en") ? "en" : "zh";

/** The text in the page's language. `{0}`, `{1}` … are replaced by the further arguments. */
export function tr(zh, en, ...args) {
    const text = lang === "zh" ? zh : en;
    return args.length ? text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? "")) : text;
}

/** Words of the domain the daemon sends as codes (flags, states, kinds), in the page's language. */
const words = {
    // clip flags (README, "The device ledger")
    "unregistered-device": ["未登记设备", "unregistered device"],
    "no-handover": ["无领用记录", "no handover"],
    "officer-mismatch": ["警号不符", "officer mismatch"],
    "clock-drift": ["时钟偏差", "clock drift"],
    "time-implausible": ["时间异常", "implausible time"],
    "important": ["重要", "important"],
    "unparsed-name": ["文件名无法识别", "unparsed name"],
    "changed-during-copy": ["复制中被改动", "changed during copy"],
    "media-damaged": ["文件损坏", "media damaged"], "non-utf8-name": ["非UTF-8文件名", "non-UTF-8 name"],
    "adopted-from-store": ["恢复时补登", "adopted from store"], "time-from-file-time": ["时间取自文件时间", "time from file time"],
    "late": ["上传超期", "late"],
    "time-zone-shift": ["录像内时间差整时区", "time-zone shift"], "time-sources-disagree": ["时间来源不符", "time sources disagree"],
    "identity-conflict": ["身份文件矛盾", "identity files disagree"], "device-unknown": ["无法识别设备", "device unknown"],
    "corrected": ["已人工更正", "corrected"],
    // dump states
    "scanning": ["扫描中", "scanning"], "copying": ["导入中", "copying"], "complete": ["已完成", "complete"],
    "interrupted": ["已中断", "interrupted"], "paused": ["已暂停", "paused"], "refused": ["已拒绝", "refused"],
    "active": ["导入中", "active"], "failed": ["失败", "failed"],
    // deadline kinds and statuses
    "device-out": ["设备领用未归还", "device out"], "device-not-dumped": ["设备归还未导入", "device not dumped"],
    "annotation": ["录像未标注", "clip not annotated"], "case-archive": ["案件未归档", "case not archived"],
    "due-soon": ["即将到期", "due soon"], "overdue": ["已超期", "overdue"], "escalated": ["严重超期", "escalated"],
    // case states
    "open": ["办理中", "open"], "closed": ["已结案", "closed"], "archived": ["已归档", "archived"],
    // retention classes
    "routine": ["常规", "routine"], "long-term": ["长期保存", "long-term"], "evidence": ["证据", "evidence"],
    // long-term reasons (RULES.md, "Long-term keeping on disc")
    "coercive-measure": ["采取强制措施", "coercive measure"], "objection": ["当事人有异议", "objection"],
    "obstruction": ["阻碍执法", "obstruction"], "mass-incident": ["群体性事件", "mass incident"],
    "other-major": ["其他重大敏感事项", "other major matter"],
    // confidentiality
    "state-secret": ["国家秘密", "state secret"], "trade-secret": ["商业秘密", "trade secret"], "privacy": ["个人隐私", "privacy"],
    // access register
    "case-handler": ["办案人员", "case handler"], "agency-staff": ["本单位其他人员", "agency staff"],
    "authority": ["国家机关", "authority"], "party": ["当事人", "party"], "lawyer": ["律师", "lawyer"],
    "other-region": ["外地机关", "other region"], "view": ["查看", "view"], "copy": ["复制", "copy"], "export": ["调取", "export"],
    "approved": ["已批准", "approved"], "denied": ["已驳回", "denied"],
    "expired": ["已过期", "expired"], "direct": ["无需审批", "no approval needed"], "used-up": ["份数已用完", "copies used up"],
    "pending": ["待审批", "pending"],
    "legal-office-head": ["法制部门负责人", "head of the legal office"], "agency-head": ["单位负责人", "head of the agency"],
    "letter-of-introduction": ["介绍信", "letter of introduction"], "id-document": ["身份证件", "ID document"],
    "power-of-attorney": ["授权委托书", "power of attorney"], "lawyer-licence": ["律师执业证", "lawyer licence"],
    "official-letter": ["外地机关函件", "official letter"],
    // roles
    "viewer": ["查看", "viewer"], "clerk": ["内勤", "clerk"], "approver": ["审批", "approver"], "admin": ["管理员", "admin"],
    "auditor": ["审计", "auditor"],
    // devices
    "in-service": ["在用", "in service"], "retired": ["已报废", "retired"], "repair": ["维修", "repair"],
    // disc copies
    "planned": ["已规划", "planned"], "burning": ["刻录中", "burning"], "burned": ["已刻录", "burned"], "verified": ["已校验", "verified"],
    "label-confirmed": ["标签已确认", "label confirmed"], "stored": ["已入库", "stored"],
    // levels
    "warning": ["警告", "warning"], "critical": ["严重", "critical"], "ok": ["正常", "ok"],
    // where a recording time came from
    "container": ["取自录像元数据", "from the container"], "file-name": ["取自文件名", "from the file name"],
    "file-time": ["取自文件时间", "from the file time"], "none": ["未知", "unknown"],
    // media kinds
    "video": ["视频", "video"], "photo": ["照片", "photo"], "audio": ["音频", "audio"], "other": ["其他", "other"],
};

/** A code from the daemon in words; unknown codes are shown as they are. */
export function word(code) {
    const entry = words[code];
    return entry ? entry[lang === "zh" ? 0 : 1] : code;
}

let zone = undefined;
/** Times are shown in the station's time zone (`GET /v1/me`), with the zone named once in the bar. */
export function setTimeZone(id) { zone = id }

export function time(iso, withSeconds = false) {
    if (!iso) return "";
    const d = new Date(iso);
    const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
        second: withSeconds ? "2-digit" : undefined, hourCycle: "h23",
    }).formatToParts(d);
    const p = Object.fromEntries(parts.map(x => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` + (withSeconds ? `:${p.second}` : "");
}

export function bytes(n) {
    if (n === undefined || n === null) return "";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let v = Number(n), i = 0;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++ }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : 1)) + " " + units[i];
}

export function duration(seconds) {
    if (seconds === undefined || seconds === null) return "";
    const s = Math.round(Math.abs(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h >= 48) return tr("{0} 天", "{0} d", Math.floor(h / 24));
    return h ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}
