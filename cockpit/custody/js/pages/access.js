// 调阅: the access register. A clerk registers a request with the requester's papers (the daemon
// checks them against the rules for the requester's kind), an approver who is neither the
// requester nor the registering clerk decides it, and an approved copy is exported as a bag.
import { get, post } from "../api.js";
import { h, fill, panel, table, form, needs, attempt, outcome, button, redrawSoon } from "../dom.js";
import { tr, word, time } from "../i18n.js";

const kinds = ["case-handler", "agency-staff", "authority", "party", "lawyer", "other-region"];
const documents = ["letter-of-introduction", "id-document", "power-of-attorney", "lawyer-licence", "official-letter", "case-assignment"];

export async function show(page) {
    const entries = await get("access");
    const out = outcome();
    out.id = "access-outcome";
    fill(page, h("h1", {}, tr("调阅登记", "Access register")), out,
         panel(tr("登记簿", "Register"), table([
             [tr("编号", "No."), e => String(e.id)],
             [tr("申请人", "Requester"), e => `${e.requesterName}（${e.requesterUnit}，${word("requesterKinds", e.requesterKind)}）`],
             [tr("事项", "Action"), e => word("accessActions", e.action)], [tr("事由", "Purpose"), e => e.purpose],
             [tr("录像", "Clips"), e => e.clips.map(c => c.slice(0, 12)).join(" ")],
             [tr("材料", "Papers"), e => e.documents.join("；")],
             [tr("登记", "Registered"), e => `${e.registeredBy} ${time(e.registeredAt)}`],
             [tr("审批", "Decision"), e => e.decision ? [h("span", { class: "badge " + e.decision }, word("decisions", e.decision)), ` ${e.decidedBy ?? ""} ${e.approverTitle ? word("approverTitles", e.approverTitle) : ""} ${time(e.decidedAt)}`] : tr("待审批", "pending")],
             [tr("状态", "Status"), e => e.status ? h("span", { class: "badge " + e.status }, word("decisions", e.status)) : ""],
             [tr("份数", "Copies"), e => e.copiesAllowed ? `${e.copiesMade ?? 0}/${e.copiesAllowed}` : "—"],
             [tr("使用", "Uses"), e => e.uses.join("；")],
             [tr("操作", "Actions"), e => h("span", { class: "actions" },
                 !e.decision ? needs("approver", h("span", { class: "actions" },
                     button(tr("批准", "Approve"), () => decide(out, e.id, "approve"), { class: "primary", dataset: { approve: e.id } }),
                     button(tr("驳回", "Deny"), () => decide(out, e.id, "deny"), { dataset: { deny: e.id } }))) : null,
                 e.decision === "approved" && e.action !== "view" ? needs("clerk", button(tr("导出", "Export"), () => exportBag(out, e.id))) : null,
                 e.status === "approved" || e.status === "direct" || e.status === "used-up"
                     ? needs("clerk", button(tr("登记已查看", "Record a look"), () => viewed(out, e.id), { dataset: { viewed: e.id } })) : null)]],
             [...entries].reverse(), { empty: tr("登记簿为空。", "The register is empty."), rowAttrs: e => ({ dataset: { access: e.id } }) })),
         needs("approver", h("div", { class: "panel", id: "decision-title" },
             h("label", {}, tr("审批人职务：", "Approving as: "),
               h("select", { id: "approver-title" }, ["agency-head", "legal-office-head"].map(t => h("option", { value: t }, word("approverTitles", t))))))),
         needs("clerk", panel(tr("登记调阅申请", "Register a request"), requestForm())));
}

function decide(out, id, verb) {
    const title = document.getElementById("approver-title")?.value || "agency-head";
    return attempt(out, () => post(`access/${id}/${verb}`, { title, note: "" }),
                   verb === "approve" ? tr("申请 {0} 已批准。", "Request {0} approved.", id) : tr("申请 {0} 已驳回。", "Request {0} denied.", id))
        .then(r => { if (r) redrawSoon(800) });
}

function viewed(out, id) {
    return attempt(out, () => post(`access/${id}/viewed`, {}), tr("已登记查看。", "Look recorded.")).then(r => { if (r) redrawSoon(800) });
}

function exportBag(out, id) {
    const target = window.prompt(tr("导出到哪个文件夹（已挂载介质的绝对路径）", "Export to which folder (absolute path on the mounted drive)"), "/media/");
    if (!target) return null;
    return attempt(out, () => post(`access/${id}/export`, { target }), tr("已导出。", "Exported.")).then(r => { if (r) redrawSoon(800) });
}

function requestForm() {
    const docFields = documents.map(d => ({ name: "doc:" + d, label: word("accessDocuments", d), placeholder: tr("文号（留空表示未提供）", "reference (empty: not given)") }));
    return form([
        { name: "requesterName", label: tr("申请人姓名", "Requester"), required: true },
        { name: "requesterUnit", label: tr("单位", "Unit"), required: true },
        { name: "requesterKind", label: tr("类别", "Kind"), options: kinds.map(k => [k, word("requesterKinds", k)]) },
        { name: "stationUser", label: tr("申请人本站账号（如有）", "Requester's station account (if any)") },
        { name: "badge", label: tr("办案人员警号（办案人员必填）", "Case handler's badge (case handlers)") },
        { name: "copies", label: tr("复制/导出份数", "Copies"), value: "1" },
        { name: "action", label: tr("事项", "Action"), options: ["view", "copy", "export"].map(a => [a, word("accessActions", a)]) },
        { name: "clips", label: tr("录像（哈希或前缀，逗号分隔）", "Clips (hashes or prefixes, comma separated)"), required: true },
        { name: "purpose", label: tr("事由", "Purpose"), required: true },
        ...docFields,
        { name: "verified", label: tr("材料已核验", "Papers verified"), type: "checkbox", value: true },
    ], tr("登记申请", "Register"), async (v, o) => {
        const body = {
            requesterName: v.requesterName, requesterUnit: v.requesterUnit, requesterKind: v.requesterKind, stationUser: v.stationUser || null,
            badge: v.badge || null, copies: Number(v.copies) || 1,
            action: v.action, purpose: v.purpose, clips: v.clips.split(/[,，\s]+/).filter(Boolean),
            documents: documents.filter(d => v["doc:" + d]).map(d => ({ kind: d, reference: v["doc:" + d], verified: v.verified })),
        };
        if (await attempt(o, () => post("access", body), r => tr("已登记为第 {0} 号。", "Registered as number {0}.", r.id))) redrawSoon(1200);
    }, { id: "access-form" });
}
