// One clip: playback of the original, provenance, flags, the deadline verdict, annotations,
// retention, its audit history, and the clerk's actions (annotate, correct, leave a case, mark
// long-term, confidentiality). Each action is the daemon's route; a refusal is shown as the daemon words it.
import { get, post } from "../api.js";
import { h, fill, panel, table, form, needs, attempt, redrawSoon } from "../dom.js";
import { tr, word, time, bytes, duration } from "../i18n.js";
import { mountPlayer } from "../player/player.js";

export async function show(page, sha) {
    const detail = await get("clips/" + sha);
    const c = detail.clip;
    const player = h("div", { class: "player", id: "player" });
    fill(page,
         h("h1", {}, tr("录像 ", "Clip "), h("code", {}, c.sha256.slice(0, 16)), " ", c.flags.map(f => h("span", { class: "badge flag" }, word("flags", f)))),
         h("div", { class: "columns" },
           h("div", {}, player, actions(c)),
           h("div", {}, facts(c, detail), verdict(c), retention(detail.retention))),
         panel(tr("标注", "Annotations"), table([
             [tr("时间", "When"), a => time(a.recordedAt)], [tr("案件", "Case"), a => a.caseNumber ?? ""],
             [tr("类别", "Category"), a => a.category], [tr("地点", "Place"), a => a.place], [tr("当事人", "Party"), a => a.party],
             [tr("内容", "Description"), a => a.description], [tr("标注人", "By"), a => a.recordedBy]],
             detail.annotations, { empty: tr("尚未标注。", "Not annotated yet.") })),
         panel(tr("来源", "Provenance"), table([
             [tr("导入批次", "Dump"), p => "#" + p.dumpID], [tr("原始路径", "Source path"), p => p.sourcePath],
             [tr("挂载点", "Mount"), p => p.mountPoint], [tr("大小", "Size"), p => bytes(p.sourceSize)], [tr("复制时间", "Copied"), p => time(p.copiedAt, true)]],
             detail.provenance)),
         panel(tr("审计记录", "Audit history"), table([
             [tr("序号", "Seq"), a => String(a.seq)], [tr("时间", "When"), a => time(a.at, true)], [tr("操作人", "Who"), a => a.actor],
             [tr("操作", "Action"), a => a.action], [tr("详情", "Detail"), a => a.detail]], detail.audit)));
    return mountPlayer(player, c);
}

function facts(c, detail) {
    return panel(tr("录像信息", "Clip"), h("dl", { class: "facts" },
        h("dt", {}, tr("SHA-256", "SHA-256")), h("dd", {}, h("code", { class: "wrap" }, c.sha256)),
        h("dt", {}, tr("录制时间", "Recorded")), h("dd", {}, time(c.recordedAt, true), c.timeSource ? h("span", { class: "muted" }, `（${word("timeSources", c.timeSource)}）`) : ""),
        c.correctedRecordedAt && c.correctedRecordedAt !== c.recordedAt ? [h("dt", {}, tr("校正后时间", "Corrected")), h("dd", {}, time(c.correctedRecordedAt, true))] : null,
        h("dt", {}, tr("时长", "Length")), h("dd", {}, duration(c.durationSeconds)),
        h("dt", {}, tr("格式", "Format")), h("dd", {}, `${word("mediaKinds", c.mediaKind)} · ${c.format} · ${bytes(c.sizeBytes)}`),
        h("dt", {}, tr("警号", "Badge")), h("dd", {}, c.officerBadge ?? "", c.claimedBadge && c.claimedBadge !== c.officerBadge ? tr("（文件名为 {0}）", " (name says {0})", c.claimedBadge) : ""),
        h("dt", {}, tr("设备", "Device")), h("dd", {}, c.deviceSerial ?? ""),
        h("dt", {}, tr("案件", "Case")), h("dd", {}, c.caseNumber ?? tr("未归案", "none")),
        h("dt", {}, tr("原始文件", "Source")), h("dd", {}, c.sourcePath),
        h("dt", {}, tr("导入时间", "Ingested")), h("dd", {}, time(c.ingestedAt, true)),
        h("dt", {}, tr("存储位置", "Stored at")), h("dd", {}, h("code", { class: "wrap" }, detail.storePath))));
}

function verdict(c) {
    return panel(tr("上传期限", "Upload deadline"), h("dl", { class: "facts", id: "verdict" },
        h("dt", {}, tr("期限", "Due")), h("dd", {}, time(c.dueAt)),
        h("dt", {}, tr("结论", "Verdict")),
        h("dd", {}, c.late ? h("span", { class: "badge overdue" }, tr("超期 {0}", "late by {0}", duration(c.lateSeconds))) : h("span", { class: "badge ok" }, tr("按时", "on time"))),
        h("dt", {}, tr("规则", "Rule")), h("dd", {}, c.deadlineRule ?? ""),
        h("dt", {}, tr("标注期限", "Annotate by")), h("dd", {}, c.annotatedAt ? tr("已于 {0} 标注", "annotated {0}", time(c.annotatedAt)) : time(c.annotationDueAt))));
}

function retention(r) {
    if (!r) return null;
    return panel(tr("保存", "Retention"), h("dl", { class: "facts" },
        h("dt", {}, tr("类别", "Class")), h("dd", {}, word("retentionClasses", r.retentionClass)),
        h("dt", {}, tr("保存至", "Keep until")), h("dd", {}, r.retainUntil ? time(r.retainUntil) : tr("长期", "indefinitely")),
        h("dt", {}, tr("冻结", "Legal hold")), h("dd", {}, r.held ? tr("是：{0}", "yes: {0}", r.holdReasons.join("；")) : tr("否", "no")),
        r.longTermReasons.length ? [h("dt", {}, tr("长期保存原因", "Long-term because")), h("dd", {}, r.longTermReasons.map(x => word("longTermReasons", x)).join("、"))] : null));
}

/** The clerk's actions; hidden for other roles (the daemon refuses them anyway). */
function actions(c) {
    const annotate = form([
        { name: "caseNumber", label: tr("案件编号", "Case number"), value: c.caseNumber ?? "" },
        { name: "category", label: tr("类别", "Category"), placeholder: tr("如 治安案件", "e.g. public order") },
        { name: "place", label: tr("地点", "Place") },
        { name: "party", label: tr("当事人", "Party") },
        { name: "description", label: tr("内容", "Description"), type: "textarea" },
    ], tr("保存标注", "Save annotation"), async (v, out) => {
        if (await attempt(out, () => post(`clips/${c.sha256}/annotate`, { caseNumber: v.caseNumber || null, category: v.category, place: v.place, party: v.party, description: v.description }),
                          tr("已标注。", "Annotated."))) redrawSoon(600);
    }, { id: "annotate-form" });
    const longTerm = form([
        { name: "reason", label: tr("长期保存原因", "Reason"), options: ["coercive-measure", "objection", "obstruction", "mass-incident", "evidence", "other-major"].map(r => [r, word("longTermReasons", r)]) },
        { name: "note", label: tr("说明", "Note") },
    ], tr("标记长期保存", "Mark long-term"), async (v, out) => {
        if (await attempt(out, () => post(`clips/${c.sha256}/retain`, { reason: v.reason, note: v.note }), tr("已标记长期保存，进入刻录队列。", "Marked long-term; queued for disc."))) redrawSoon(600);
    }, { id: "retain-form" });
    const secret = form([
        { name: "flag", label: tr("密级", "Confidentiality"), options: ["privacy", "trade-secret", "state-secret"].map(f => [f, word("confidentiality", f)]) },
        { name: "remove", label: tr("取消该密级", "Remove this flag"), type: "checkbox" },
    ], tr("设置密级", "Set confidentiality"), async (v, out) => {
        if (await attempt(out, () => post(`clips/${c.sha256}/confidential`, { flag: v.flag, remove: v.remove }), tr("已设置。", "Set."))) redrawSoon(600);
    }, { id: "confidential-form" });
    // A clerk's correction of what the camera claimed (device, officer, recording time); the
    // camera's claims stay beside it and the clip is matched and judged again.
    const correct = form([
        { name: "device", label: tr("设备编号", "Device serial"), placeholder: c.deviceSerial ?? "" },
        { name: "officer", label: tr("警号", "Badge"), placeholder: c.officerBadge ?? "" },
        { name: "recordedAt", label: tr("录制时间", "Recorded at"), placeholder: tr("如 2026-11-29 08:30（北京时间）", "e.g. 2026-11-29 08:30 (station time)") },
        { name: "reason", label: tr("更正理由（必填）", "Reason (required)"), required: true },
    ], tr("更正", "Correct"), async (v, out) => {
        const body = { clip: c.sha256, device: v.device || null, officer: v.officer || null, recordedAt: v.recordedAt || null, reason: v.reason };
        if (await attempt(out, () => post("clips/correct", body), tr("已更正。", "Corrected."))) redrawSoon(600);
    }, { id: "correct-form" });
    const leave = c.caseNumber ? form([
        { name: "reason", label: tr("移出理由（必填）", "Reason (required)"), required: true },
    ], tr("移出案件 {0}", "Take out of case {0}", c.caseNumber), async (v, out) => {
        if (await attempt(out, () => post(`clips/${c.sha256}/leave-case`, { caseNumber: c.caseNumber, reason: v.reason }),
                          tr("已移出案件。", "Taken out of the case."))) redrawSoon(600);
    }, { id: "leave-case-form" }) : null;
    const more = (id, title, body) => h("details", { class: "panel", id }, h("summary", {}, title), body);
    return needs("clerk", h("div", { class: "clerk-actions" },
        panel(tr("标注", "Annotate"), annotate),
        more("correct-details", tr("更正设备、警号或时间", "Correct device, officer or time"), correct),
        leave ? more("leave-details", tr("移出案件", "Leave the case"), leave) : null,
        more("retain-details", tr("长期保存", "Long-term keeping"), longTerm),
        more("secret-details", tr("密级", "Confidentiality"), secret)));
}
