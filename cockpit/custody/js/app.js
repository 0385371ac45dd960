// The console's frame: who is logged in (from the daemon, by SO_PEERCRED), the page tabs, and
// hash routing (#/clips, #/clip/<sha256>, …), which works in Cockpit's shell and in kiosk mode.
import { get } from "./api.js";
import { h, fill, setRoles } from "./dom.js";
import { lang, tr, word, setWords, setTimeZone } from "./i18n.js";
import * as dashboard from "./pages/dashboard.js";
import * as clips from "./pages/clips.js";
import * as clip from "./pages/clip.js";
import * as ledger from "./pages/ledger.js";
import * as work from "./pages/work.js";
import * as discs from "./pages/discs.js";
import * as access from "./pages/access.js";
import * as audit from "./pages/audit.js";
import * as reports from "./pages/reports.js";

const tabs = [
    ["overview", tr("概览", "Overview"), dashboard],
    ["clips", tr("录像", "Clips"), clips],
    ["ledger", tr("台账", "Ledger"), ledger],
    ["deadlines", tr("期限", "Deadlines"), work],
    ["discs", tr("光盘", "Discs"), discs],
    ["access", tr("调阅", "Access"), access],
    ["audit", tr("审计", "Audit"), audit],
    ["reports", tr("报表", "Reports"), reports],
];
const hidden = { clip };

let leave = null;

async function route() {
    const [name, ...args] = (window.location.hash.replace(/^#\/?/, "") || "overview").split("/").map(decodeURIComponent);
    const tab = tabs.find(t => t[0] === name);
    const module = tab ? tab[2] : hidden[name] || dashboard;
    for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("current", a.dataset.page === (tab ? name : "clips"));
    leave?.();
    leave = null;
    const page = document.getElementById("page");
    page.dataset.ready = "no";
    page.dataset.page = tab ? name : name in hidden ? name : "overview";
    fill(page, h("p", { class: "muted" }, tr("载入中…", "Loading…")));
    try {
        leave = (await module.show(page, ...args)) || null;
    } catch (error) {
        fill(page, h("div", { class: "say error" }, error.message || String(error)));
    }
    page.dataset.ready = "yes";
}

async function start() {
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = tr("证据室", "Evidence room");
    fill(document.getElementById("nav"), tabs.map(([name, title]) => h("a", { href: "#/" + name, dataset: { page: name } }, title)));
    try {
        const [me, vocabulary] = await Promise.all([get("me"), get("vocabulary")]);
        setWords(vocabulary);
        setRoles(me.roles);
        setTimeZone(me.timeZone);
        fill(document.getElementById("brand"), me.unit + " · " + tr("证据室", "Evidence room"));
        fill(document.getElementById("who"), `${me.name ?? "uid " + me.uid} (${me.roles.map(r => word("roles", r)).join("、") || tr("无权限", "no role")})`,
             me.timeZone ? h("span", { class: "muted" }, " · " + me.timeZone) : null);
        document.body.dataset.roles = me.roles.join(" ");
    } catch (error) {
        fill(document.getElementById("page"), h("div", { class: "say error" }, error.message || String(error)));
        return;
    }
    window.addEventListener("hashchange", route);
    route();
}

document.addEventListener("DOMContentLoaded", start);
