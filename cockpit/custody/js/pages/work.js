// 期限: overdue and due-soon work (devices out, devices not dumped, clips not annotated, cases not
// archived), deadline exceptions (approver), cases and their close/archive steps (clerk), and the
// queues a clerk works through: clips to annotate, clips the camera marked important.
import { get, post } from "../api.js";
import { h, fill, panel, table, form, needs, attempt, outcome, button, shortHash, link, redrawSoon } from "../dom.js";
import { tr, word, time, duration, bytes } from "../i18n.js";

export async function show(page) {
    const [deadlines, cases, proposals] = await Promise.all([get("deadlines"), get("cases"), get("retain/proposals")]);
    const items = deadlines.items;
    const cap = deadlines.capacity;
    const out = outcome();
    fill(page, h("h1", {}, tr("期限", "Deadlines")), out,
         panel(tr("待办与超期", "Due and overdue"), table([
             [tr("事项", "What"), i => word("deadlineKinds", i.kind)],
             [tr("状态", "Status"), i => h("span", { class: "badge " + i.status }, word("deadlineStatuses", i.status))],
             [tr("警员", "Officer"), i => [i.officerBadge, i.officerName].filter(Boolean).join(" ")],
             [tr("设备", "Device"), i => i.deviceSerial ?? ""], [tr("案件", "Case"), i => i.caseNumber ?? ""],
             [tr("起算", "Since"), i => time(i.since)], [tr("期限", "Due"), i => time(i.dueAt)],
             [tr("超期", "Late by"), i => (i.lateSeconds > 0 ? duration(i.lateSeconds) : "")],
             [tr("数量", "Count"), i => String(i.count)], [tr("规则", "Rule"), i => i.rule]],
             items, { empty: tr("没有待办或超期事项。", "Nothing due or overdue.") }),
               deadlines.calendarProblem ? h("p", { class: "error" }, deadlines.calendarProblem) : null,
               h("p", { class: "muted" }, deadlines.calendarYears.length ? tr("工作日历年份：{0}", "Working-day calendar years: {0}", deadlines.calendarYears.join(", "))
                                                                       : tr("未载入工作日历（calendar.txt），按周末计算工作日。", "No working-day calendar (calendar.txt): weekends only."))),
         panel(tr("待标注录像", "Clips to annotate"), table([
             [tr("警员", "Officer"), i => [i.officerBadge, i.officerName].filter(Boolean).join(" ")],
             [tr("上传日", "Uploaded"), i => time(i.since).slice(0, 10)],
             [tr("录像数", "Clips"), i => String(i.count)], [tr("标注期限", "Annotate by"), i => time(i.dueAt)],
             [tr("查看", "Open"), i => link(`/clips/${new URLSearchParams(i.officerBadge ? { officer: i.officerBadge } : {})}`, tr("录像列表", "clip list"))]],
             items.filter(i => i.kind === "annotation"), { empty: tr("没有待标注的录像。", "No clips waiting for annotation.") })),
         panel(tr("待确认长期保存（记录仪标记为重要）", "Marked important by the camera: confirm long-term"), table([
             [tr("录像", "Clip"), c => link("/clip/" + c.sha256, shortHash(c.sha256))], [tr("录制时间", "Recorded"), c => time(c.recordedAt)],
             [tr("警号", "Badge"), c => c.officerBadge ?? ""], [tr("设备", "Device"), c => c.deviceSerial ?? ""]],
             proposals, { empty: tr("没有待确认的录像。", "None waiting.") })),
         panel(tr("存储容量", "Store capacity"), h("p", {},
             tr("可用 {0} / 共 {1}（{2}%），近一周每天导入约 {3}", "{0} free of {1} ({2} %), about {3} a day over the last week",
                bytes(cap.freeBytes), bytes(cap.totalBytes), cap.freePercent.toFixed(1), bytes(cap.bytesPerDay)),
             cap.daysUntilFull && cap.daysUntilFull < 3650 ? tr("，约 {0} 天后写满。", ", full in about {0} days.", Math.round(cap.daysUntilFull)) : "。",
             " ", h("span", { class: "badge " + cap.level }, word("capacityLevels", cap.level)))),
         needs("approver", panel(tr("批准延期（审批）", "Grant a deadline exception (approver)"), form([
             { name: "handoverID", label: tr("领用记录编号", "Handover number"), required: true },
             { name: "reason", label: tr("批准理由", "Reason"), required: true },
         ], tr("批准延期", "Grant"), async (v, o) => {
             if (await attempt(o, () => post("deadlines/exceptions", { handoverID: Number(v.handoverID), reason: v.reason }), tr("已批准。", "Granted."))) redrawSoon(800);
         }))),
         panel(tr("案件", "Cases"), table([
             [tr("编号", "Number"), c => h("strong", {}, c.number)], [tr("名称", "Title"), c => c.title],
             [tr("主办", "Handler"), c => c.handlerBadge ?? ""], [tr("状态", "State"), c => h("span", { class: "badge " + c.state }, word("caseStates", c.state))],
             [tr("录像", "Clips"), c => String(c.clipCount)], [tr("立案", "Opened"), c => time(c.openedAt).slice(0, 10)],
             [tr("归档期限", "Archive by"), c => (c.archiveDueAt ? time(c.archiveDueAt).slice(0, 10) : "")],
             [tr("操作", "Actions"), c => needs("clerk", h("span", { class: "actions" },
                 c.state === "open" ? button(tr("结案", "Close"), () => caseStep(out, c.number, "close")) : null,
                 c.state === "closed" ? button(tr("归档", "Archive"), () => caseStep(out, c.number, "archive")) : null,
                 c.state !== "open" ? button(tr("重新办理", "Reopen"), () => caseStep(out, c.number, "reopen")) : null))]],
             cases, { empty: tr("尚未登记案件。", "No cases registered.") }),
               needs("clerk", h("details", {}, h("summary", {}, tr("登记案件", "Register a case")), form([
                   { name: "number", label: tr("案件编号", "Number"), required: true }, { name: "title", label: tr("案件名称", "Title"), required: true },
                   { name: "handlerBadge", label: tr("主办警号", "Handler badge") },
               ], tr("登记", "Register"), async (v, o) => {
                   if (await attempt(o, () => post("cases", { number: v.number, title: v.title, handlerBadge: v.handlerBadge || null }), tr("已登记。", "Registered."))) redrawSoon(800);
               })))));
}

function caseStep(out, number, step) {
    const note = window.prompt(tr("说明（可留空）", "Note (may be empty)"), "") ?? "";
    return attempt(out, () => post(`cases/${encodeURIComponent(number)}/${step}`, { note }), tr("已记录。", "Recorded.")).then(r => { if (r) redrawSoon(800) });
}
