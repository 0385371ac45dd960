// 概览: cameras docking now with live progress (GET /v1/events), the newest clips as they are
// cataloged, alarms and open alerts, overdue and due-soon work, store capacity.
import { get, followEvents } from "../api.js";
import { h, fill, panel, table, shortHash, link } from "../dom.js";
import { tr, word, time, bytes, duration } from "../i18n.js";

export async function show(page) {
    const docks = h("div", { class: "docks", id: "docks" });
    const live = h("span", { class: "live muted" });
    const statusBox = h("div", { id: "status-box" });
    const newest = h("div", { id: "newest-clips" });
    const work = h("div", { id: "due-work" });
    fill(page,
         h("div", { class: "columns" },
           h("div", {}, panel(tr("正在导入的执法记录仪", "Cameras docking now"), live, docks),
                        panel(tr("最新录像", "Newest clips"), newest)),
           h("div", {}, panel(tr("状态", "Status"), statusBox), panel(tr("待办与超期", "Due and overdue work"), work))));

    const progress = new Map();
    let refreshTimer = null;
    // Events come many a second during an ingest: the bars follow each, the lists every 2 s.
    const refreshSoon = () => { refreshTimer ??= setTimeout(() => { refreshTimer = null; refresh() }, 2000) };

    async function refresh() {
        const [status, dumps, deadlines] = await Promise.all([get("status"), get("dumps"), get("deadlines")]);
        renderStatus(statusBox, status);
        for (const d of dumps.slice(-6)) if (!progress.has(d.id) || ["complete", "refused", "interrupted"].includes(d.state)) progress.set(d.id, d);
        renderDocks(docks, progress);
        renderWork(work, deadlines);
        const total = status.clips.total;
        const list = await get("clips", { limit: 10, offset: Math.max(0, total - 10) });
        renderNewest(newest, list.reverse());
    }

    await refresh();
    const stop = followEvents(event => {
        if (event.dump) {
            const d = event.dump;
            const known = progress.get(d.dumpID) || {};
            progress.set(d.dumpID, { ...known, id: d.dumpID, mountPoint: d.mountPoint, state: d.state, filesDone: d.filesDone,
                                     filesTotal: d.filesTotal, bytesDone: d.bytesDone, bytesTotal: d.bytesTotal, errors: d.errors,
                                     bytesPerSecond: d.bytesPerSecond, currentFile: d.currentFile });
            renderDocks(docks, progress);
        }
        if (event.type !== "hello") refreshSoon();
    }, connected => fill(live, connected ? tr("● 实时", "● live") : tr("○ 重新连接…", "○ reconnecting…")));
    return () => { stop(); clearTimeout(refreshTimer) };
}

function renderDocks(el, progress) {
    const items = [...progress.values()].sort((a, b) => b.id - a.id).slice(0, 6);
    if (!items.length) return fill(el, h("p", { class: "muted" }, tr("暂无接入的执法记录仪。插入后会自动开始导入。", "No camera docked. Plug one in and ingest starts by itself.")));
    fill(el, items.map(d => {
        const share = d.bytesTotal ? Math.min(100, Math.round((100 * d.bytesDone) / d.bytesTotal)) : d.state === "complete" ? 100 : 0;
        const name = d.deviceSerial ? `${d.deviceSerial}${d.officerBadge ? " · " + d.officerBadge : ""}` : d.mountPoint.split("/").pop();
        return h("div", { class: "dock " + d.state, dataset: { dump: d.id, state: d.state } },
                 h("div", { class: "dock-head" }, h("strong", {}, `#${d.id} ${name}`), h("span", { class: "badge " + d.state }, word("dumpStates", d.state))),
                 h("div", { class: "bar-outer" }, h("div", { class: "bar-inner", style: `width:${share}%` })),
                 h("div", { class: "muted" },
                   tr("{0}/{1} 个文件，{2}/{3}", "{0}/{1} files, {2}/{3}", d.filesDone, d.filesTotal, bytes(d.bytesDone), bytes(d.bytesTotal)),
                   d.bytesPerSecond && d.state === "copying" ? ` · ${bytes(d.bytesPerSecond)}/s` : "",
                   d.errors ? tr(" · {0} 个错误", " · {0} errors", d.errors) : ""),
                 d.currentFile && d.state === "copying" ? h("div", { class: "muted small" }, d.currentFile) : null,
                 d.stateReason && d.state !== "complete" ? h("div", { class: "muted small" }, d.stateReason) : null);
    }));
}

function renderNewest(el, clips) {
    fill(el, table([
        [tr("录制时间", "Recorded"), c => link("/clip/" + c.sha256, time(c.recordedAt || c.ingestedAt))],
        [tr("警号", "Badge"), c => c.officerBadge ?? ""],
        [tr("设备", "Device"), c => c.deviceSerial ?? ""],
        [tr("类型", "Kind"), c => word("mediaKinds", c.mediaKind)],
        [tr("时长", "Length"), c => duration(c.durationSeconds)],
        [tr("哈希", "Hash"), c => shortHash(c.sha256)],
    ], clips, { empty: tr("尚无录像。", "No clips yet."), rowAttrs: c => ({ dataset: { sha: c.sha256 } }) }));
}

function renderStatus(el, s) {
    const cap = s.capacity;
    fill(el, h("dl", { class: "facts" },
        h("dt", {}, tr("录像总数", "Clips")), h("dd", { id: "clip-total" }, String(s.clips.total)),
        h("dt", {}, tr("导入", "Ingest")), h("dd", {}, s.ingest.paused ? tr("已暂停：{0}", "paused: {0}", s.ingest.pausedReason) : tr("{0} 个进行中", "{0} active", s.ingest.active)),
        h("dt", {}, tr("存储空间", "Store")),
        h("dd", {}, cap ? h("span", {}, tr("可用 {0}（{1}%）", "{0} free ({1} %)", bytes(cap.freeBytes), cap.freePercent.toFixed(1)),
                            cap.daysUntilFull && cap.daysUntilFull < 3650 ? tr("，约 {0} 天后写满", ", full in about {0} days", Math.round(cap.daysUntilFull)) : "",
                            " ", h("span", { class: "badge " + cap.level }, word("capacityLevels", cap.level)))
                   : bytes(s.store.freeBytes)),
        h("dt", {}, tr("审计链", "Audit chain")), h("dd", {}, tr("{0} 条，头 ", "{0} rows, head ", s.auditRows), h("code", {}, s.auditHead.slice(0, 16))),
        s.calendarProblem ? [h("dt", {}, tr("工作日历", "Calendar")), h("dd", { class: "error" }, s.calendarProblem)] : null),
        s.alarms.length ? panel(tr("告警", "Alarms"), h("ul", { class: "alarms" }, s.alarms.map(a => h("li", { class: "error" }, a)))) : null,
        (s.openAlerts || []).length ? h("ul", { class: "alerts" }, s.openAlerts.map(a => h("li", { class: a.level }, h("span", { class: "badge " + a.level }, word("alertLevels", a.level)), " ", a.messageZh || a.message))) : null);
}

function renderWork(el, deadlines) {
    const items = deadlines.items;
    const overdue = items.filter(i => i.status !== "due-soon"), soon = items.filter(i => i.status === "due-soon");
    fill(el, h("p", {}, tr("超期 {0} 项，即将到期 {1} 项。", "{0} overdue, {1} due soon.", overdue.length, soon.length), " ",
                 link("/deadlines", tr("查看期限", "See deadlines"))),
         table([
             [tr("事项", "What"), i => word("deadlineKinds", i.kind)],
             [tr("状态", "Status"), i => h("span", { class: "badge " + i.status }, word("deadlineStatuses", i.status))],
             [tr("对象", "Who"), i => [i.officerName ?? i.officerBadge, i.deviceSerial, i.caseNumber].filter(Boolean).join(" · ")],
             [tr("期限", "Due"), i => time(i.dueAt)],
         ], items.slice(0, 8), { empty: tr("没有待办或超期事项。", "Nothing due or overdue.") }));
}
