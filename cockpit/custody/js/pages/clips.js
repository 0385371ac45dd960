// 录像: the filters `clips list` has (officer, device, recording time, case, late, flag), paged by
// keyset (`after`): every page costs the same and stays right while clips are ingested.
import { get } from "../api.js";
import { h, fill, table, outcome, say, shortHash, link } from "../dom.js";
import { tr, word, time, bytes, duration } from "../i18n.js";

const pageSize = 50;
const flags = ["", "important", "late", "no-handover", "officer-mismatch", "unregistered-device", "clock-drift", "time-implausible",
               "unparsed-name", "changed-during-copy", "media-damaged"];

export async function show(page, preset = "") {
    const out = outcome();
    const results = h("div", { id: "clip-results" });
    const pager = h("div", { class: "pager" });
    const field = (name, label, attrs = {}) => h("label", {}, h("span", {}, label), h("input", { name, ...attrs }));
    const filterForm = h("form", { class: "form inline", id: "clip-filters" },
        field("officer", tr("警号", "Badge"), { size: 8 }),
        field("device", tr("设备编号", "Device"), { size: 10 }),
        field("from", tr("录制自", "Recorded from"), { type: "date" }),
        field("to", tr("录制至", "Recorded to"), { type: "date" }),
        field("case", tr("案件编号", "Case"), { size: 12 }),
        h("label", {}, h("span", {}, tr("标记", "Flag")),
          h("select", { name: "flag" }, flags.map(f => h("option", { value: f }, f ? word("flags", f) : tr("（全部）", "(any)"))))),
        h("label", { class: "check" }, h("span", {}, tr("仅超期", "Late only")), h("input", { name: "late", type: "checkbox" })),
        h("button", { type: "submit", class: "primary" }, tr("查询", "Search")));
    fill(page, h("h1", {}, tr("录像", "Clips")), filterForm, out, results, pager);

    // Keyset paging: a stack of the `after` values that started each page shown so far.
    let starts = [null];
    let filters = {};

    async function load() {
        const after = starts[starts.length - 1];
        let clips;
        try {
            clips = await get("clips", { ...filters, limit: pageSize, after });
        } catch (error) {
            say(out, error.message);
            fill(results);
            fill(pager);
            return;
        }
        out.hidden = true;
        fill(results, table([
            [tr("录制时间", "Recorded"), c => link("/clip/" + c.sha256, time(c.correctedRecordedAt || c.recordedAt || c.ingestedAt))],
            [tr("警号", "Badge"), c => c.officerBadge ?? ""],
            [tr("设备", "Device"), c => c.deviceSerial ?? ""],
            [tr("类型", "Kind"), c => word("mediaKinds", c.mediaKind)],
            [tr("时长", "Length"), c => duration(c.durationSeconds)],
            [tr("大小", "Size"), c => bytes(c.sizeBytes)],
            [tr("案件", "Case"), c => c.caseNumber ?? ""],
            [tr("上传", "Upload"), c => c.late ? h("span", { class: "badge overdue" }, tr("超期", "late")) : tr("按时", "on time")],
            [tr("标记", "Flags"), c => c.flags.filter(f => f !== "late").map(f => h("span", { class: "badge flag" }, word("flags", f)))],
            [tr("哈希", "Hash"), c => shortHash(c.sha256)],
        ], clips, { empty: tr("没有符合条件的录像。", "No clips match."), rowAttrs: c => ({ dataset: { sha: c.sha256 } }) }));
        fill(pager,
             starts.length > 1 ? h("button", { type: "button", onclick: () => { starts.pop(); load() } }, tr("上一页", "Previous")) : null,
             h("span", { class: "muted" }, tr("第 {0} 页", "Page {0}", starts.length)),
             clips.length === pageSize ? h("button", { type: "button", id: "next-page", onclick: () => { starts.push(clips[clips.length - 1].sha256); load() } }, tr("下一页", "Next")) : null);
    }

    // A preset from another page (#/clips/officer=010203&from=…) fills the form.
    for (const [name, value] of new URLSearchParams(preset)) {
        const input = filterForm.elements[name];
        if (!input) continue;
        if (input.type === "checkbox") input.checked = value === "true"; else input.value = value;
        filters[name] = value;
    }

    filterForm.addEventListener("submit", event => {
        event.preventDefault();
        const data = new FormData(filterForm);
        filters = {};
        for (const name of ["officer", "device", "from", "to", "case", "flag"]) {
            const value = String(data.get(name) || "").trim();
            if (value) filters[name] = value;
        }
        if (data.get("late")) filters.late = "true";
        starts = [null];
        load();
    });
    await load();
}
