// The console's language: Chinese unless the browser asks for English first (the clerks read
// Chinese; RULES.md). Strings are written in both languages where they are used: tr("中文", "English").
const wanted = (navigator.languages && navigator.languages[0]) || navigator.language || "zh-CN";
export const lang = wanted.toLowerCase().startsWith("en") ? "en" : "zh";

/** The text in the page's language. `{0}`, `{1}` … are replaced by the further arguments. */
export function tr(zh, en, ...args) {
    const text = lang === "zh" ? zh : en;
    return args.length ? text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? "")) : text;
}

/** The daemon's words for the codes it sends (flags, states, kinds), by table, in the page's
 *  language: `GET /v1/vocabulary`, the same words the daemon prints on paper and custodyctl shows. */
let words = {};
export function setWords(vocabulary) { words = (vocabulary && vocabulary[lang]) || {} }

/** A code from the daemon in words, from the named table of its vocabulary (`flags`,
 *  `dumpStates`, …); a code the table lacks is shown as it is. */
export function word(table, code) {
    return words[table]?.[code] ?? code;
}

let zone = undefined;
/** Times are shown in the station's time zone (`GET /v1/me`), with the zone named once in the bar. */
export function setTimeZone(id) { zone = id }

export function time(iso, withSeconds = false) {
    if (!iso) return "";
    const d = new Date(iso);
    const parts = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
        second: withSeconds ? "2-digit" : undefined, hourCycle: "h23",
    }).formatToParts(d);
    const p = Object.fromEntries(parts.map(x => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` + (withSeconds ? `:${p.second}` : "");
}

export function bytes(n) {
    if (n === undefined || n === null) return "";
    const units = ["B", "KB", "MB", "GB", "TB"];
    let v = Number(n), i = 0;
    while (v >= 1000 && i < units.length - 1) { v /= 1000; i++ }
    return (i === 0 ? String(v) : v.toFixed(v < 10 ? 2 : 1)) + " " + units[i];
}

export function duration(seconds) {
    if (seconds === undefined || seconds === null) return "";
    const s = Math.round(Math.abs(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h >= 48) return tr("{0} 天", "{0} d", Math.floor(h / 24));
    return h ? `${h}:${String(m).padStart(2, "0")}:${String(r).padStart(2, "0")}` : `${m}:${String(r).padStart(2, "0")}`;
}
