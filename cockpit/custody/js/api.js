// The daemon's admin API, reached through Cockpit's bridge: the bridge runs as the logged-in
// Linux user and connects to custodyd's Unix socket, so the daemon identifies the person by
// SO_PEERCRED and applies their roles. Nothing here decides who may do what: the page hides
// buttons by role as a courtesy, and the daemon refuses (and audits) whatever is forced.
/* global cockpit */
import { lang } from "./i18n.js";

let socketPath = null;

/** A refusal or failure, worded by the daemon (in Chinese when the page is). */
export class DaemonError extends Error {
    constructor(status, code, message, body) {
        super(message);
        this.status = status;
        this.code = code;
        this.body = body;
    }
}

/** The socket path: the package's `config.socket` in its manifest, which an administrator
 *  changes with /etc/cockpit/custody.override.json (or ~/.config/cockpit/custody.override.json). */
export async function socket() {
    if (socketPath) return socketPath;
    const manifests = await (await fetch("../manifests.json")).json();
    socketPath = manifests.custody?.config?.socket || "/run/custody/custodyd.sock";
    return socketPath;
}

const acceptLanguage = () => (lang === "zh" ? "zh-CN,zh" : "en");

function daemonError(ex, body) {
    const text = typeof body === "string" ? body : body ? new TextDecoder().decode(body) : "";
    try {
        const parsed = JSON.parse(text);
        return new DaemonError(ex.status, parsed.error, parsed.message ?? `${ex.status} ${ex.reason ?? ""}`, parsed);
    } catch {
        return new DaemonError(ex.status || 0, ex.problem || "unreachable", ex.status ? `${ex.status} ${text || ex.message}` : cockpit.message(ex));
    }
}

function query(params) {
    const pairs = Object.entries(params || {}).filter(([, v]) => v !== undefined && v !== null && v !== "" && v !== false);
    return pairs.length ? "?" + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&") : "";
}

async function request(method, path, { params, body, raw, binary, headers, onHeaders } = {}) {
    // A raw body (a CSV file's bytes) needs a binary channel: a text channel would send it as text.
    const channelBinary = binary || raw;
    const client = cockpit.http(await socket(), channelBinary ? { binary: true } : {});
    // A path that starts with "/" is whole (a `Link` the daemon answered), else it is under /v1/.
    const whole = path.startsWith("/") ? path : "/v1/" + path + query(params);
    const options = { method, path: whole, headers: { "Accept-Language": acceptLanguage(), ...headers } };
    if (body !== undefined) {
        options.body = raw ? body : JSON.stringify(body);
        if (!raw) options.headers["Content-Type"] = "application/json";
    } else if (method === "POST") {
        options.body = "{}";
        options.headers["Content-Type"] = "application/json";
    } else {
        options.body = "";
    }
    return new Promise((resolve, reject) => {
        const chunks = [];
        const req = client.request(options);
        if (onHeaders) req.response((status, answered) => onHeaders(answered || {}));
        if (channelBinary) req.stream(chunk => { chunks.push(chunk) });
        req.then(data => resolve(binary ? concat(chunks) : raw ? new TextDecoder().decode(concat(chunks)) : data),
                 (ex, data) => reject(daemonError(ex, data)));
    });
}

function concat(chunks) {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.length }
    return out;
}

/** The target of an answer's `Link: <…>; rel="next"` header, if it has one. */
function nextLink(headers) {
    const name = Object.keys(headers).find(k => k.toLowerCase() === "link");
    const match = name && /<([^>]+)>\s*;\s*rel="?next"?/.exec(headers[name]);
    return match ? match[1] : null;
}

/** GET /v1/PATH as JSON. A list asked for without a `limit` is read whole: the daemon answers
 *  at most a page (`[limits] page_default`) and links the next, which is followed here, so no
 *  page of the console silently shows only the first rows. */
export async function get(path, params) {
    let next = null;
    const onHeaders = answered => { next = nextLink(answered) };
    let value = JSON.parse(await request("GET", path, { params, onHeaders }));
    if (!Array.isArray(value) || params?.limit !== undefined) return value;
    while (next) {
        const link = next;
        next = null;
        const page = JSON.parse(await request("GET", link, { onHeaders }));
        if (!Array.isArray(page) || page.length === 0) break;
        value = value.concat(page);
    }
    return value;
}

/** GET /v1/PATH as text (printable HTML reports, SVG labels). */
export function getText(path, params) {
    return request("GET", path, { params });
}

/** POST /v1/PATH with a JSON body (or a raw body, e.g. a CSV file). */
export async function post(path, body, params, raw = false) {
    const text = await request("POST", path, { params, body, raw });
    return text ? JSON.parse(text) : null;
}

/** Bytes [first, last] of a clip's original, through the daemon's range route (cockpit-ws drops
 *  a browser's own Range header; one set here is forwarded). Streamed, never the buffered call. */
export function clipBytes(sha256, first, last) {
    return request("GET", `clips/${sha256}/content`, { binary: true, headers: { Range: `bytes=${first}-${last}` } });
}

/** Follows GET /v1/events (newline-delimited JSON) and calls `onEvent` per event; reconnects
 *  after a pause when the stream ends. Returns a function that stops it. */
export function followEvents(onEvent, onState) {
    let stopped = false;
    let current = null;
    async function open() {
        const client = cockpit.http(await socket());
        let pending = "";
        onState?.(true);
        current = client.request({ method: "GET", path: "/v1/events", body: "", headers: { "Accept-Language": acceptLanguage() } });
        current.stream(chunk => {
            pending += chunk;
            let newline;
            while ((newline = pending.indexOf("\n")) >= 0) {
                const line = pending.slice(0, newline);
                pending = pending.slice(newline + 1);
                if (line.trim()) { try { onEvent(JSON.parse(line)) } catch (e) { console.warn("bad event line", e) } }
            }
        });
        current.always(() => {
            onState?.(false);
            if (!stopped) setTimeout(open, 2000);
        });
    }
    open();
    return () => { stopped = true; current?.close() };
}
