// 光盘: the long-term queue, planning disc sets, burning copies A and B with their progress,
// read-back verification, label preview and printing, confirming labels and recording where each
// disc is kept. Planning, burning, verifying and confirming need the admin role.
import { get, getText, post } from "../api.js";
import { h, fill, panel, table, form, needs, attempt, outcome, button, shortHash, link, redrawSoon } from "../dom.js";
import { tr, word, time, bytes } from "../i18n.js";

export async function show(page, selected) {
    const [queue, sets] = await Promise.all([get("discs/queue"), get("discs")]);
    const out = outcome();
    out.id = "discs-outcome";
    const detail = h("div", { id: "disc-detail" });
    fill(page, h("h1", {}, tr("光盘", "Discs")), out,
         panel(tr("待刻录队列（长期保存）", "Queue for disc (long-term)"),
               h("p", {}, tr("{0} 段录像，共 {1}", "{0} clips, {1} in all", queue.length, bytes(queue.reduce((n, q) => n + q.sizeBytes, 0)))),
               table([[tr("录像", "Clip"), q => link("/clip/" + q.sha256, shortHash(q.sha256))], [tr("大小", "Size"), q => bytes(q.sizeBytes)],
                      [tr("案件", "Case"), q => q.caseNumber ?? ""], [tr("入队时间", "Queued"), q => time(q.queuedAt)]], queue.slice(0, 20)),
               needs("admin", form([
                   { name: "media", label: tr("光盘类型", "Media"), options: [["", tr("（按配置）", "(as configured)")], ["cd", "CD 700 MB"], ["dvd", "DVD 4.7 GB"], ["dvd-dl", "DVD DL 8.5 GB"], ["bd25", "BD 25 GB"], ["bd50", "BD 50 GB"], ["bd100", "BD 100 GB"]] },
                   { name: "force", label: tr("未装满也规划", "Plan even if not full"), type: "checkbox" },
               ], tr("规划光盘组", "Plan disc sets"), async (v, o) => {
                   const r = await attempt(o, () => post("discs/plan", { media: v.media || null, force: v.force }),
                                           r => tr("规划了 {0} 组，{1} 段录像等待。", "{0} sets planned, {1} clips waiting.", r.sets.length, r.waiting) + (r.notes.length ? "\n" + r.notes.join("\n") : ""));
                   if (r?.sets.length) redrawSoon(1200);
               }, { id: "plan-form" }))),
         panel(tr("光盘组", "Disc sets"), table([
             [tr("编号", "Set"), s => link("/discs/" + s.id, h("strong", {}, s.id))], [tr("介质", "Media"), s => s.media],
             [tr("容量", "Used"), s => `${bytes(s.usedBytes)} (${(100 * s.fillRatio).toFixed(1)}%)`], [tr("文件", "Files"), s => String(s.files.length)],
             [tr("A 盘", "Copy A"), s => copyState(s, "A")], [tr("B 盘", "Copy B"), s => copyState(s, "B")],
             [tr("规划时间", "Planned"), s => time(s.plannedAt)]], sets, { empty: tr("尚无光盘组。", "No disc sets yet.") })),
         detail);
    const current = sets.find(s => s.id === selected) || null;
    if (current) await showSet(detail, current, out);
    // Burn progress: while a copy is being burned, the set is read again every two seconds.
    const timer = current && current.copies.some(c => c.state === "burning") ? setTimeout(() => redrawSoon(0), 2000) : null;
    return () => clearTimeout(timer);
}

function copyState(set, copy) {
    const c = set.copies.find(x => x.copy === copy);
    if (!c) return h("span", { class: "muted" }, tr("未刻录", "not burned"));
    return [h("span", { class: "badge " + c.state }, word("discCopyStates", c.state)), c.verified ? h("span", { class: "badge verified" }, "✓") : null,
            c.location ? h("span", { class: "muted small" }, " " + c.location) : null];
}

async function showSet(el, set, out) {
    const previews = h("div", { class: "label-preview", id: "label-preview" });
    const admin = copy => needs("admin", h("span", { class: "actions" },
        button(tr("校验 {0} 盘", "Verify {0}", copy), () => act(out, set.id, "verify", { copy }, tr("{0} 盘已读回校验。", "Copy {0} read back and checked.", copy))),
        button(tr("确认 {0} 盘标签", "Confirm label {0}", copy), () => act(out, set.id, "label", { copy, confirm: true }, tr("{0} 盘标签已确认。", "Label of copy {0} confirmed.", copy)),
               { dataset: { confirm: copy } }),
        button(tr("登记 {0} 盘存放位置", "Record where {0} is kept", copy), () => {
            const location = window.prompt(tr("存放位置（如 档案室 3 号柜）", "Location (e.g. archive room, cabinet 3)"), "");
            return location ? act(out, set.id, "locate", { copy, location }, tr("已登记。", "Recorded.")) : null;
        })));
    fill(el, panel(tr("光盘组 {0}", "Disc set {0}", set.id),
        h("p", {}, set.note),
        needs("admin", h("p", { class: "actions" },
            button(tr("刻录 A、B 两盘", "Burn copies A and B"), () => {
                const maker = window.prompt(tr("制作人", "Maker"), "") ?? "";
                return act(out, set.id, "burn", { maker: maker || null }, tr("开始刻录。", "Burning started."));
            }, { class: "primary", id: "burn-button" }))),
        table([[tr("副本", "Copy"), c => c.copy], [tr("状态", "State"), c => copyState(set, c.copy)], [tr("说明", "Detail"), c => c.detail ?? ""],
               [tr("操作", "Actions"), c => [button(tr("预览标签", "Preview label"), () => preview(previews, set.id, c.copy, out), { dataset: { preview: c.copy } }), admin(c.copy)]]],
              set.copies, { empty: tr("尚未刻录。", "Not burned yet.") }),
        previews,
        h("details", {}, h("summary", {}, tr("盘内文件（{0}）", "Files on the disc ({0})", set.files.length)),
          table([[tr("路径", "Path"), f => f.discPath], [tr("大小", "Size"), f => bytes(f.sizeBytes)], [tr("录像", "Clip"), f => link("/clip/" + f.sha256, shortHash(f.sha256))]], set.files))));
}

function act(out, id, verb, body, success) {
    return attempt(out, () => post(`discs/${id}/${verb}`, body), success).then(r => { if (r) redrawSoon(800) });
}

/** The disc face and sleeve as the daemon renders them (SVG), shown and printable. */
async function preview(el, id, copy, out) {
    try {
        const parts = await Promise.all(["face", "sleeve"].map(part => getText(`discs/${id}/label`, { copy, part })));
        const urls = parts.map(svg => URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })));
        const frame = h("iframe", { class: "report", hidden: true, title: "print", sandbox: "allow-same-origin allow-modals" });
        fill(el, h("h2", {}, tr("{0} {1} 盘标签", "Labels of {0} copy {1}", id, copy)),
             urls.map(u => h("img", { src: u, alt: "label" })),
             h("p", {}, button(tr("打印标签", "Print labels"), () => {
                 const doc = `<!DOCTYPE html><html><body style="margin:0">${parts.join('<div style="page-break-after:always"></div>')}</body></html>`;
                 frame.src = URL.createObjectURL(new Blob([doc], { type: "text/html" }));
                 frame.onload = () => frame.contentWindow.print();
             })), frame);
    } catch (error) {
        attempt(out, () => Promise.reject(error));
    }
}
