// Plays an original clip with seeking. cockpit-ws drops a <video>'s own Range requests (a seek
// re-read the whole file), so the player reads the clip's index and then only the byte ranges a
// position needs, through the daemon's range route (`GET /v1/clips/{sha}/content`, audited as a
// look), and feeds them to MediaSource repackaged as fragments. Nothing is written anywhere.
import { clipBytes } from "../api.js";
import { h, fill } from "../dom.js";
import { tr } from "../i18n.js";
import { readIndex, sampleAt, keyBefore, keyAfter } from "./mp4.js";
import { initSegment, fragment } from "./fmp4.js";

const maxRequest = 8 << 20;     // the daemon's largest range answer
const gapToMerge = 256 << 10;   // samples closer than this are fetched in one request
const ahead = 10;               // seconds kept buffered ahead of the playhead

/** Shows the clip in `el`; returns a function that stops playback. */
export function mountPlayer(el, clip) {
    const status = h("div", { class: "muted small", id: "player-status" });
    const read = (first, last) => readRange(clip.sha256, first, last);
    if (clip.mediaKind === "photo" || clip.mediaKind === "audio") {
        whole(el, clip, read, status);
        return () => {};
    }
    const video = h("video", { controls: true, preload: "auto", id: "clip-video" });
    fill(el, video, status);
    const player = new RangePlayer(video, clip, read, text => { status.textContent = text });
    player.start().catch(error => {
        el.dataset.state = "error";
        status.textContent = tr("无法在浏览器中播放：{0}", "Cannot play in the browser: {0}", error.message || error);
    });
    el.dataset.state = "loading";
    player.onReady = () => { el.dataset.state = "ready" };
    return () => player.stop();
}

async function readRange(sha, first, last) {
    const parts = [];
    for (let at = first; at <= last; at += maxRequest) parts.push(await clipBytes(sha, at, Math.min(last, at + maxRequest - 1)));
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length }
    return out;
}

/** Photos and audio recordings are small: fetched whole and shown from memory. */
async function whole(el, clip, read, status) {
    fill(el, status);
    status.textContent = tr("载入中…", "Loading…");
    try {
        const data = await read(0, clip.sizeBytes - 1);
        const url = URL.createObjectURL(new Blob([data], { type: clip.mediaKind === "photo" ? "image/jpeg" : "audio/wav" }));
        fill(el, clip.mediaKind === "photo" ? h("img", { src: url, class: "photo", alt: clip.sourcePath }) : h("audio", { controls: true, src: url }), status);
        status.textContent = "";
        el.dataset.state = "ready";
    } catch (error) {
        status.textContent = error.message || String(error);
        el.dataset.state = "error";
    }
}

class RangePlayer {
    constructor(video, clip, read, say) {
        Object.assign(this, { video, clip, read, say, generation: 0, stopped: false, buffers: [], nextTime: 0, loading: false });
    }

    async start() {
        this.say(tr("读取索引…", "Reading the index…"));
        const movie = await readIndex(this.read, this.clip.sizeBytes);
        const playable = movie.tracks.filter(t => MediaSource.isTypeSupported(this.type(t)));
        this.track = playable.find(t => t.kind === "video");
        if (!this.track) {
            const codecs = movie.tracks.map(t => t.codec).join(", ");
            throw new Error(tr("浏览器不支持此编码（{0}）", "the browser does not decode {0}", codecs || "?"));
        }
        this.tracks = [this.track, ...playable.filter(t => t.kind === "audio").slice(0, 1)];
        this.duration = movie.duration;
        const source = new MediaSource();
        this.video.src = URL.createObjectURL(source);
        await new Promise(resolve => source.addEventListener("sourceopen", resolve, { once: true }));
        source.duration = movie.duration;
        this.source = source;
        // Every SourceBuffer is added before any is fed: a MediaSource takes no new one after that.
        for (const t of this.tracks) {
            const sb = source.addSourceBuffer(this.type(t));
            sb.timestampOffset = -t.mediaTime / t.timescale;
            this.buffers.push({ sb, track: t, queue: Promise.resolve() });
        }
        await Promise.all(this.buffers.map(entry => this.append(entry, initSegment(entry.track))));
        this.video.addEventListener("seeking", () => this.seek());
        this.video.addEventListener("timeupdate", () => this.fill());
        this.say("");
        // Ready with the first frame; the rest of the buffer fills on behind it.
        const firstFrame = new Promise(resolve => this.video.addEventListener("loadeddata", resolve, { once: true }));
        const filled = this.fill().then(() => {
            if (this.video.readyState < 2) throw new Error(this.status || tr("没有可显示的画面", "no frame to show"));
        });
        await Promise.race([firstFrame, filled]);
        this.onReady?.();
    }

    type(t) { return `${t.kind}/mp4; codecs="${t.codec}"` }

    stop() { this.stopped = true; this.generation++ }

    append(entry, data) {
        entry.queue = entry.queue.then(() => new Promise((resolve, reject) => {
            if (this.stopped) return resolve();
            const done = () => { entry.sb.removeEventListener("error", fail); resolve() };
            const fail = () => { entry.sb.removeEventListener("updateend", done); reject(new Error("append failed")) };
            entry.sb.addEventListener("updateend", done, { once: true });
            entry.sb.addEventListener("error", fail, { once: true });
            entry.sb.appendBuffer(data);
        }));
        return entry.queue;
    }

    trim(entry) {
        const keepFrom = this.video.currentTime - 20;
        const b = entry.sb.buffered;
        if (keepFrom <= 0 || !b.length || b.start(0) >= keepFrom) return entry.queue;
        entry.queue = entry.queue.then(() => new Promise(resolve => {
            entry.sb.addEventListener("updateend", resolve, { once: true });
            entry.sb.remove(0, keepFrom);
        }));
        return entry.queue;
    }

    bufferedAhead() {
        const t = this.video.currentTime, b = this.buffers[0].sb.buffered;
        for (let i = 0; i < b.length; i++) if (b.start(i) <= t + 0.1 && b.end(i) > t) return b.end(i) - t;
        return 0;
    }

    seek() {
        if (this.bufferedAhead() > 0.5) return;
        this.generation++;
        this.nextTime = this.video.currentTime;
        this.loading = false;
        this.fill();
    }

    /** Loads group after group of pictures until `ahead` seconds are buffered. */
    async fill() {
        if (this.loading || this.stopped) return;
        this.loading = true;
        const generation = this.generation;
        try {
            while (generation === this.generation && !this.stopped && this.nextTime < this.duration - 0.01 &&
                   (this.bufferedAhead() < ahead || this.nextTime < this.video.currentTime)) {
                this.nextTime = await this.loadGroup(this.nextTime, generation);
            }
            if (generation === this.generation && this.nextTime >= this.duration - 0.01 && this.source.readyState === "open") {
                await Promise.all(this.buffers.map(e => e.queue));
                if (this.buffers.every(e => !e.sb.updating) && this.source.readyState === "open") this.source.endOfStream();
            }
        } catch (error) {
            if (generation === this.generation) { this.status = error.message || String(error); this.say(this.status) }
        } finally {
            if (generation === this.generation) this.loading = false;
        }
    }

    /** Fetches and appends the group of pictures covering `time` (and the audio beside it);
     *  returns where the next group starts. */
    async loadGroup(time, generation) {
        const v = this.track;
        const first = keyBefore(v, sampleAt(v, time));
        const end = keyAfter(v, first);
        const from = (v.dts[first] - v.mediaTime) / v.timescale, to = (v.dts[end] - v.mediaTime) / v.timescale;
        const spans = [[v, first, end]];
        for (const a of this.tracks.slice(1)) {
            const a0 = from <= 0 ? 0 : sampleAt(a, from) + 1, a1 = end >= v.count ? a.count : sampleAt(a, to) + 1;
            if (a1 > a0) spans.push([a, Math.min(a0, a1), a1]);
        }
        const data = await this.fetchSamples(spans);
        if (generation !== this.generation || this.stopped) return time;
        await Promise.all(spans.map(([track, s, e]) => {
            const entry = this.buffers.find(b => b.track === track);
            return this.trim(entry).then(() => this.append(entry, fragment(track, s, e, data)));
        }));
        return end >= v.count ? this.duration : Math.max(to, time + 0.001);
    }

    /** Every sample wanted, read in as few range requests as the layout allows (video and audio
     *  are interleaved in chunks; runs far apart are read apart); returns bytesAt(offset, size). */
    async fetchSamples(spans) {
        const pieces = [];
        for (const [t, s, e] of spans) for (let i = s; i < e; i++) pieces.push([t.offset[i], t.offset[i] + t.size[i]]);
        pieces.sort((a, b) => a[0] - b[0]);
        const runs = [];
        for (const [start, stop] of pieces) {
            const last = runs[runs.length - 1];
            if (last && start - last[1] <= gapToMerge) last[1] = Math.max(last[1], stop); else runs.push([start, stop]);
        }
        const loaded = [];
        for (const [start, stop] of runs) loaded.push([start, await this.read(start, stop - 1)]);
        return (offset, size) => {
            const [start, bytes] = loaded.find(([s, b]) => offset >= s && offset + size <= s + b.length);
            return bytes.subarray(offset - start, offset - start + size);
        };
    }
}
