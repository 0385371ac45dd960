// Small DOM helpers: elements, tables, forms, the daemon's answers shown as they are worded.
import { tr } from "./i18n.js";

/** h("div", {class: "x", onclick}, child, "text", [more]) */
export function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === undefined || v === null || v === false) continue;
        if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
        else if (k === "class") el.className = v;
        else if (k === "dataset") Object.assign(el.dataset, v);
        else if (v === true) el.setAttribute(k, "");
        else el.setAttribute(k, v);
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children.flat(Infinity)) {
        if (c === undefined || c === null || c === false) continue;
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}

let roles = new Set();
/** The roles the daemon gives the caller (`GET /v1/me`). */
export function setRoles(list) { roles = new Set(list) }
export function can(role) { return roles.has(role) }

/** Marks an element as needing `role`: hidden when the caller lacks it (the daemon still checks). */
export function needs(role, el) {
    el.dataset.role = role;
    if (!can(role)) el.hidden = true;
    return el;
}

/** A table: columns are [title, row => cell]. */
export function table(columns, rows, { empty, rowAttrs } = {}) {
    if (!rows.length) return h("p", { class: "muted" }, empty ?? tr("（无）", "(none)"));
    return h("table", { class: "grid" },
        h("thead", {}, h("tr", {}, columns.map(([title]) => h("th", {}, title)))),
        h("tbody", {}, rows.map(row => h("tr", rowAttrs ? rowAttrs(row) : {}, columns.map(([, cell]) => h("td", {}, cell(row)))))));
}

/** A panel with a heading. */
export function panel(title, ...body) {
    return h("section", { class: "panel" }, h("h2", {}, title), ...body);
}

/** Shows an answer or refusal from the daemon in an element, worded as the daemon words it. */
export function say(el, message, kind = "error") {
    el.hidden = false;
    el.className = "say " + kind;
    el.textContent = message;
    return el;
}

/** A place for a form's outcome. */
export function outcome() { return h("div", { class: "say", hidden: true, role: "status" }) }

/** Runs `action`, then shows its success text or the daemon's refusal in `out`. */
export async function attempt(out, action, success) {
    out.hidden = true;
    try {
        const result = await action();
        if (success) say(out, typeof success === "function" ? success(result) : success, "ok");
        return result;
    } catch (error) {
        say(out, error.message || String(error), "error");
        return undefined;
    }
}

/** A form: fields are {name, label, type?, options?, value?, required?, placeholder?}. */
export function form(fields, submitLabel, onSubmit, attrs = {}) {
    const out = outcome();
    const inputs = {};
    const rows = fields.map(f => {
        let input;
        if (f.options) {
            input = h("select", { name: f.name }, f.options.map(([value, label]) => h("option", { value, selected: value === f.value }, label)));
        } else if (f.type === "textarea") {
            input = h("textarea", { name: f.name, rows: 3, placeholder: f.placeholder }, f.value ?? "");
        } else {
            input = h("input", { name: f.name, type: f.type || "text", value: f.value, placeholder: f.placeholder, required: f.required,
                                 checked: f.type === "checkbox" && f.value });
        }
        inputs[f.name] = input;
        return h("label", { class: f.type === "checkbox" ? "check" : "" }, h("span", {}, f.label), input);
    });
    const el = h("form", { class: "form", ...attrs }, rows, h("button", { type: "submit", class: "primary" }, submitLabel), out);
    el.addEventListener("submit", async event => {
        event.preventDefault();
        const values = {};
        for (const [name, input] of Object.entries(inputs)) {
            values[name] = input.type === "checkbox" ? input.checked : input.type === "file" ? input.files[0] : input.value.trim();
        }
        const button = el.querySelector("button[type=submit]");
        button.disabled = true;
        try { await onSubmit(values, out) } finally { button.disabled = false }
    });
    return el;
}

/** A button that runs `action` and shows the daemon's answer in `out`. */
export function button(label, action, attrs = {}) {
    const el = h("button", { type: "button", ...attrs }, label);
    el.addEventListener("click", async () => {
        el.disabled = true;
        try { await action() } finally { el.disabled = false }
    });
    return el;
}

/** A short hash for tables; the full one is in the title. */
export function shortHash(sha) {
    return h("code", { title: sha }, sha.slice(0, 12));
}

/** A link to a page of the console. */
export function link(path, ...children) {
    return h("a", { href: "#" + path }, ...children);
}

/** Shows the current page again after `ms` (with what the daemon changed), unless the person
 *  went to another page meanwhile. */
export function redrawSoon(ms = 800) {
    const here = window.location.hash;
    setTimeout(() => { if (window.location.hash === here) window.dispatchEvent(new HashChangeEvent("hashchange")) }, ms);
}
