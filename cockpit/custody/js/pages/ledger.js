// 台账: officers, devices, check-out and check-in, the handover history, CSV import with its
// line-by-line refusals. Changes need the clerk role; the daemon audits each and refuses the rest.
import { get, post } from "../api.js";
import { h, fill, panel, table, form, needs, attempt, outcome, say, button, redrawSoon } from "../dom.js";
import { tr, word, time } from "../i18n.js";

export async function show(page) {
    const [officers, devices, handovers] = await Promise.all([get("officers"), get("devices"), get("handovers")]);
    const open = new Map(handovers.filter(x => !x.checkedInAt).map(x => [x.serial, x]));
    const names = new Map(officers.map(o => [o.badge, o.name]));
    const out = outcome();
    out.id = "ledger-outcome";

    const deviceRows = table([
        [tr("设备编号", "Serial"), d => h("strong", {}, d.serial)],
        [tr("品牌型号", "Brand, model"), d => `${d.brand} ${d.model}`],
        [tr("单位", "Unit"), d => d.unit],
        [tr("保管人", "Keeper"), d => d.keeperBadge ? `${d.keeperBadge} ${names.get(d.keeperBadge) ?? ""}` : ""],
        [tr("状态", "Status"), d => d.placeholder ? h("span", { class: "badge overdue" }, tr("未登记", "unregistered")) : word("deviceStatus", d.status)],
        [tr("使用人", "With"), d => open.has(d.serial) ? `${open.get(d.serial).badge} ${names.get(open.get(d.serial).badge) ?? ""}（${time(open.get(d.serial).checkedOutAt)}）` : ""],
        [tr("操作", "Actions"), d => needs("clerk", h("span", { class: "actions" }, open.has(d.serial)
            ? button(tr("归还", "Check in"), async () => {
                if (await attempt(out, () => post(`devices/${d.serial}/checkin`, {}), tr("设备 {0} 已归还。", "Device {0} checked in.", d.serial))) redrawSoon(800);
            }, { class: "primary", dataset: { checkin: d.serial } })
            : checkout(d, out)))],
    ], devices, { rowAttrs: d => ({ dataset: { serial: d.serial } }) });

    fill(page, h("h1", {}, tr("台账", "Ledger")), out,
         panel(tr("设备", "Devices"), deviceRows,
               needs("clerk", h("details", {}, h("summary", {}, tr("登记设备", "Register a device")), form([
                   { name: "serial", label: tr("设备编号", "Serial"), required: true },
                   { name: "brand", label: tr("品牌", "Brand") }, { name: "model", label: tr("型号", "Model") },
                   { name: "unit", label: tr("单位", "Unit") }, { name: "keeperBadge", label: tr("保管人警号", "Keeper badge") },
               ], tr("登记", "Register"), async (v, o) => {
                   if (await attempt(o, () => post("devices", { serial: v.serial, brand: v.brand, model: v.model, unit: v.unit, keeperBadge: v.keeperBadge || null }), tr("已登记。", "Registered."))) redrawSoon(800);
               })))),
         panel(tr("警员", "Officers"), table([
             [tr("警号", "Badge"), o => h("strong", {}, o.badge)], [tr("姓名", "Name"), o => o.name], [tr("单位", "Unit"), o => o.unit],
             [tr("状态", "Status"), o => o.active ? tr("在岗", "active") : tr("已停用", "inactive")],
             [tr("修订", "Revision"), o => `${o.revision} · ${o.recordedBy} · ${time(o.recordedAt)}`]], officers,
             { rowAttrs: o => ({ dataset: { badge: o.badge } }) }),
               needs("clerk", h("details", {}, h("summary", {}, tr("登记警员", "Add an officer")), form([
                   { name: "badge", label: tr("警号", "Badge"), required: true }, { name: "name", label: tr("姓名", "Name"), required: true },
                   { name: "unit", label: tr("单位", "Unit") },
               ], tr("登记", "Add"), async (v, o) => {
                   if (await attempt(o, () => post("officers", v), tr("已登记。", "Added."))) redrawSoon(800);
               })))),
         panel(tr("领用记录", "Handovers"), table([
             [tr("编号", "No."), x => String(x.id)], [tr("设备", "Device"), x => x.serial], [tr("警员", "Officer"), x => `${x.badge} ${names.get(x.badge) ?? ""}`],
             [tr("领用", "Out"), x => time(x.checkedOutAt)], [tr("归还", "In"), x => x.checkedInAt ? time(x.checkedInAt) : h("span", { class: "badge copying" }, tr("使用中", "out"))],
             [tr("异地", "Off-site"), x => x.offsite ? tr("是", "yes") : ""], [tr("备注", "Note"), x => x.note], [tr("登记人", "By"), x => x.recordedBy]],
             [...handovers].reverse().slice(0, 50))),
         needs("clerk", panel(tr("导入 Excel 表格（CSV）", "Import a spreadsheet (CSV)"), importForm())));
}

function checkout(device, out) {
    const badge = h("input", { size: 8, placeholder: tr("警号", "badge"), name: "badge", dataset: { checkoutBadge: device.serial } });
    const offsite = h("input", { type: "checkbox", title: tr("异地/连续执勤", "off-site or continuous") });
    return [badge, h("label", { class: "small" }, offsite, tr("异地", "off-site")),
            button(tr("领用", "Check out"), async () => {
                if (await attempt(out, () => post(`devices/${device.serial}/checkout`, { badge: badge.value.trim(), offsite: offsite.checked, note: "" }),
                                  tr("设备 {0} 已由 {1} 领用。", "Device {0} checked out to {1}.", device.serial, badge.value.trim()))) redrawSoon(800);
            }, { dataset: { checkout: device.serial } })];
}

/** An import is all or nothing: every bad line is listed with its line, column and reason. */
function importForm() {
    const report = h("div", { id: "import-report" });
    const f = form([
        { name: "table", label: tr("表", "Table"), options: [["officers", tr("警员", "officers")], ["devices", tr("设备", "devices")], ["handovers", tr("领用记录", "handovers")]] },
        { name: "file", label: tr("CSV 文件（UTF-8 或 GBK）", "CSV file (UTF-8 or GBK)"), type: "file" },
        { name: "dryRun", label: tr("仅检查，不导入", "Check only, do not import"), type: "checkbox", value: true },
    ], tr("导入", "Import"), async (v, o) => {
        fill(report);
        if (!v.file) return say(o, tr("请选择文件。", "Choose a file."));
        const body = new Uint8Array(await v.file.arrayBuffer());
        let result;
        try {
            result = await post("import/" + v.table, body, { dryRun: v.dryRun ? "1" : "" }, true);
        } catch (error) {
            // 422: the daemon's report lists every bad line; other refusals are shown as worded.
            if (!error.body?.errors) return say(o, error.message);
            result = error.body;
        }
        const summary = tr("新增 {0}，修改 {1}，未变 {2}（编码 {3}）", "{0} added, {1} changed, {2} unchanged (encoding {3})",
                           result.added, result.changed, result.unchanged, result.encoding);
        if (result.errors.length) {
            say(o, tr("整个文件未导入：{0} 行有错误。", "Nothing was imported: {0} lines are wrong.", result.errors.length));
            fill(report, table([[tr("行", "Line"), e => String(e.line)], [tr("列", "Column"), e => e.column], [tr("原因", "Reason"), e => tr(e.reasonZh || e.reason, e.reason)]], result.errors));
        } else {
            say(o, (result.accepted ? tr("已导入：", "Imported: ") : tr("检查通过（未导入）：", "Checked (not imported): ")) + summary, "ok");
            if (result.accepted) redrawSoon(1500);
        }
    }, { id: "import-form" });
    return h("div", {}, f, report);
}
