// 审计: the hash-chained audit log with its filters, the chain verified from genesis and against
// every checkpoint, and the Merkle checkpoints written so far.
import { get, post } from "../api.js";
import { h, fill, panel, table, needs, attempt, outcome, button, form } from "../dom.js";
import { tr, time } from "../i18n.js";

export async function show(page) {
    const out = outcome();
    const rows = h("div", { id: "audit-rows" });
    const verdict = h("div", { id: "audit-verdict" });
    const checkpoints = h("div");
    const search = form([
        { name: "clip", label: tr("录像哈希", "Clip hash") }, { name: "user", label: tr("操作人（如 uid:1000(张三)）", "Actor (e.g. uid:1000(alice))") },
        { name: "action", label: tr("操作（如 api.refused）", "Action (e.g. api.refused)") },
        { name: "from", label: tr("自", "From"), type: "date" }, { name: "to", label: tr("至", "To"), type: "date" },
    ], tr("查询", "Search"), async (v, o) => {
        const list = await attempt(o, () => get("audit", { clip: v.clip, user: v.user, action: v.action, from: v.from, to: v.to, limit: 200 }));
        if (list) showRows(rows, list);
    }, { class: "form inline", id: "audit-search" });
    fill(page, h("h1", {}, tr("审计", "Audit")), out,
         panel(tr("审计链校验", "Verify the chain"),
               h("p", {}, button(tr("从创世记录开始校验", "Verify from genesis"), async () => {
                   const r = await attempt(out, () => get("audit/verify"));
                   if (r) fill(verdict, h("div", { class: "say " + (r.valid ? "ok" : "error") },
                       r.valid ? tr("审计链完整：{0} 条记录，逐条哈希与全部检查点均一致。", "The chain is intact: {0} rows, every hash and checkpoint matches.", r.rows)
                               : tr("审计链被改动：{0}（第 {1} 条）", "The chain was changed: {0} (row {1})", r.problem, r.firstBadSeq)));
               }, { class: "primary", id: "verify-audit" }),
                 " ", needs("clerk", button(tr("写入检查点", "Write a checkpoint"), async () => {
                     if (await attempt(out, () => post("audit/checkpoint", {}), c => tr("检查点：{0} 条，根 {1}", "Checkpoint: {0} rows, root {1}", c.treeSize, c.root.slice(0, 16)))) loadCheckpoints(checkpoints);
                 }))),
               verdict),
         panel(tr("审计记录", "Audit log"), search, rows),
         panel(tr("检查点", "Checkpoints"), checkpoints));
    showRows(rows, await get("audit", { limit: 100 }));
    await loadCheckpoints(checkpoints);
}

function showRows(el, list) {
    fill(el, table([
        [tr("序号", "Seq"), a => String(a.seq)], [tr("时间", "When"), a => time(a.at, true)], [tr("操作人", "Actor"), a => a.actor],
        [tr("操作", "Action"), a => a.action], [tr("对象", "Object"), a => a.object], [tr("详情", "Detail"), a => a.detail],
        [tr("哈希", "Hash"), a => h("code", { title: a.hash }, a.hash.slice(0, 10))]], [...list].reverse()));
}

async function loadCheckpoints(el) {
    const list = await get("audit/checkpoints");
    fill(el, table([[tr("条数", "Rows"), c => String(c.treeSize)], [tr("根", "Root"), c => h("code", {}, c.root.slice(0, 24) + "…")],
                    [tr("原因", "Reason"), c => c.reason], [tr("时间", "When"), c => time(c.at, true)]], [...list].reverse().slice(0, 30)));
}
