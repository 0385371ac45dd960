// 报表: the printable reports the daemon renders in Chinese (compliance by unit, officer and
// device; the device ledger; the access register), shown in the page and printed from it. Each
// ends with the audit chain's head, as the daemon writes it.
import { getText } from "../api.js";
import { h, fill, panel, form, attempt } from "../dom.js";
import { tr, time } from "../i18n.js";

export async function show(page) {
    const frame = h("iframe", { class: "report", id: "report-frame", title: tr("报表", "Report"), sandbox: "allow-same-origin allow-modals" });
    const printButton = h("button", { type: "button", hidden: true, id: "print-report", onclick: () => frame.contentWindow.print() }, tr("打印", "Print"));
    const showReport = html => {
        frame.src = URL.createObjectURL(new Blob([html], { type: "text/html" }));
        printButton.hidden = false;
    };
    const today = time(new Date().toISOString()).slice(0, 10);  // the station's day, not UTC's
    const monthStart = today.slice(0, 8) + "01";
    fill(page, h("h1", {}, tr("报表", "Reports")),
         h("div", { class: "report-forms" },
             panel(tr("执法记录仪使用情况报表", "Compliance report"), form([
                 { name: "from", label: tr("自", "From"), type: "date", value: monthStart }, { name: "to", label: tr("至", "To"), type: "date", value: today },
             ], tr("生成", "Make"), async (v, o) => {
                 const html = await attempt(o, () => getText("reports/compliance", { from: v.from + " 00:00", to: nextDay(v.to) + " 00:00", format: "html" }));
                 if (html) showReport(html);
             }, { id: "compliance-form" })),
             panel(tr("设备台账", "Device ledger"), form([
                 { name: "device", label: tr("设备编号（留空为全部）", "Device (empty: all)") },
                 { name: "from", label: tr("自", "From"), type: "date", value: monthStart },
             ], tr("生成", "Make"), async (v, o) => {
                 const html = await attempt(o, () => getText("ledger", { device: v.device, from: v.from + " 00:00", format: "html" }));
                 if (html) showReport(html);
             }, { id: "ledger-report-form" })),
             panel(tr("调阅登记簿", "Access register"), form([], tr("生成", "Make"), async (v, o) => {
                 const html = await attempt(o, () => getText("access", { format: "html" }));
                 if (html) showReport(html);
             }, { id: "access-report-form" }))),
         h("p", {}, printButton), frame);
}

/** The day after `day` (YYYY-MM-DD): a report "to" a day includes that day. */
function nextDay(day) {
    const d = new Date(day + "T12:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
}
