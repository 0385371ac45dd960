// Reads an MP4/MOV original's index (the `moov` box) by byte ranges, without fetching the
// footage: where each track's samples are, how long they last, which are key frames. The
// player uses it to fetch exactly the bytes a seek needs and to repackage them for MediaSource.
import { tr } from "../i18n.js";

const text = (b, at) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
const u32 = (b, at) => ((b[at] << 24) >>> 0) + (b[at + 1] << 16) + (b[at + 2] << 8) + b[at + 3];
const u64 = (b, at) => u32(b, at) * 4294967296 + u32(b, at + 4);
const i32 = (b, at) => u32(b, at) | 0;
const u16 = (b, at) => (b[at] << 8) | b[at + 1];

/** The boxes inside b[start, end): [{type, start, size, header}]. */
export function boxes(b, start = 0, end = b.length) {
    const out = [];
    let at = start;
    while (at + 8 <= end) {
        let size = u32(b, at), header = 8;
        const type = text(b, at + 4);
        if (size === 1) { size = u64(b, at + 8); header = 16 } else if (size === 0) size = end - at;
        if (size < header || at + size > end) break;
        out.push({ type, start: at, size, header });
        at += size;
    }
    return out;
}

function child(b, box, type) {
    return boxes(b, box.start + box.header, box.start + box.size).find(x => x.type === type);
}

function path(b, box, ...types) {
    let current = box;
    for (const t of types) { current = current && child(b, current, t); }
    return current;
}

/**
 * Finds the `moov` box of the file by walking its top-level boxes through `read(first, last)`
 * (a range read); `moov` may be at the start or, as cameras often write it, at the end.
 * Returns the moov bytes and the file offset of the first `mdat`.
 */
export async function readIndex(read, fileSize) {
    let at = 0;
    while (at + 8 <= fileSize) {
        const head = await read(at, Math.min(fileSize - 1, at + 15));
        let size = u32(head, 0), header = 8;
        const type = text(head, 4);
        if (size === 1) { size = u64(head, 8); header = 16 } else if (size === 0) size = fileSize - at;
        if (size < header) throw new Error(tr("文件结构损坏（偏移 {0}）", "damaged file structure (offset {0})", at));
        if (type === "moov") {
            const moov = await read(at, at + size - 1);
            return parseMovie(moov);
        }
        at += size;
    }
    throw new Error(tr("不是 MP4/MOV 文件（没有 moov 索引），浏览器无法播放", "not an MP4/MOV file (no moov index); the browser cannot play it"));
}

/** The movie's tracks with their sample tables, from the bytes of its `moov` box. */
export function parseMovie(moov) {
    const root = boxes(moov)[0];
    const mvhd = child(moov, root, "mvhd");
    const v1 = moov[mvhd.start + 8] === 1;
    const movieScale = u32(moov, mvhd.start + (v1 ? 28 : 20));
    const movieDuration = v1 ? u64(moov, mvhd.start + 32) : u32(moov, mvhd.start + 24);
    const tracks = boxes(moov, root.start + root.header, root.start + root.size)
        .filter(x => x.type === "trak").map(t => parseTrack(moov, t)).filter(Boolean);
    return { duration: movieDuration / movieScale, tracks };
}

function parseTrack(b, trak) {
    const mdhd = path(b, trak, "mdia", "mdhd");
    const hdlr = path(b, trak, "mdia", "hdlr");
    const stbl = path(b, trak, "mdia", "minf", "stbl");
    if (!mdhd || !hdlr || !stbl) return null;
    const handler = text(b, hdlr.start + 16);
    if (handler !== "vide" && handler !== "soun") return null;
    const v1 = b[mdhd.start + 8] === 1;
    const timescale = u32(b, mdhd.start + (v1 ? 28 : 20));
    const stsd = child(b, stbl, "stsd");
    const entry = boxes(b, stsd.start + 16, stsd.start + stsd.size)[0];
    const track = {
        kind: handler === "vide" ? "video" : "audio", timescale, stsd: b.slice(stsd.start, stsd.start + stsd.size),
        format: entry.type, codec: codecString(b, entry), width: 0, height: 0, mediaTime: 0,
    };
    if (track.kind === "video") { track.width = u16(b, entry.start + 32); track.height = u16(b, entry.start + 34) }
    const elst = path(b, trak, "edts", "elst");
    if (elst) {
        const ev1 = b[elst.start + 8] === 1, count = u32(b, elst.start + 12);
        // The first entry that is not an empty edit says where presentation starts in media time.
        for (let i = 0, at = elst.start + 16; i < count; i++, at += ev1 ? 20 : 12) {
            const empty = ev1 ? u32(b, at + 8) === 0xFFFFFFFF : i32(b, at + 4) === -1;
            if (!empty) { track.mediaTime = ev1 ? u64(b, at + 8) : i32(b, at + 4); break }
        }
    }
    Object.assign(track, sampleTable(b, stbl));
    return track;
}

/** The codec parameter MediaSource wants: avc1.PPCCLL from avcC, mp4a.40.N from esds. */
function codecString(b, entry) {
    const type = entry.type;
    if (type === "avc1" || type === "avc3") {
        const avcC = boxes(b, entry.start + 86, entry.start + entry.size).find(x => x.type === "avcC");
        if (!avcC) return type;
        const at = avcC.start + 8;
        return type + "." + [b[at + 1], b[at + 2], b[at + 3]].map(x => x.toString(16).padStart(2, "0")).join("");
    }
    if (type === "mp4a") {
        const esds = boxes(b, entry.start + 36, entry.start + entry.size).find(x => x.type === "esds");
        if (!esds) return "mp4a.40.2";
        // Walk the ES descriptor to the DecoderConfigDescriptor (tag 4) and its specific info (tag 5).
        let at = esds.start + 12;
        const end = esds.start + esds.size;
        let objectType = 0x40, audioObjectType = 2;
        while (at < end) {
            const tag = b[at++];
            let len = 0;
            for (let i = 0; i < 4; i++) { const x = b[at++]; len = (len << 7) | (x & 0x7f); if (!(x & 0x80)) break }
            if (tag === 3) { const flags = b[at + 2]; at += 3 + (flags & 0x80 ? 2 : 0) + (flags & 0x40 ? 1 + b[at + 3] : 0) + (flags & 0x20 ? 2 : 0); continue }
            if (tag === 4) { objectType = b[at]; at += 13; continue }
            if (tag === 5) { audioObjectType = b[at] >> 3; break }
            at += len;
        }
        return objectType === 0x40 ? `mp4a.40.${audioObjectType}` : `mp4a.${objectType.toString(16)}`;
    }
    return type;
}

/** Expands stsz/stco/stsc/stts/ctts/stss into one entry per sample: offset, size, decode time,
 *  composition offset, key frame. */
function sampleTable(b, stbl) {
    const find = t => child(b, stbl, t);
    const stsz = find("stsz") || find("stz2");
    const fixed = u32(b, stsz.start + 12), count = u32(b, stsz.start + 16);
    const size = new Uint32Array(count);
    for (let i = 0; i < count; i++) size[i] = fixed || u32(b, stsz.start + 20 + 4 * i);

    const stco = find("stco"), co64 = find("co64");
    const chunkBox = stco || co64, chunks = u32(b, chunkBox.start + 12);
    const chunkOffset = new Float64Array(chunks);
    for (let i = 0; i < chunks; i++) chunkOffset[i] = co64 ? u64(b, chunkBox.start + 16 + 8 * i) : u32(b, chunkBox.start + 16 + 4 * i);

    const offset = new Float64Array(count);
    const stsc = find("stsc"), runs = u32(b, stsc.start + 12);
    let sample = 0;
    for (let r = 0; r < runs; r++) {
        const at = stsc.start + 16 + 12 * r;
        const firstChunk = u32(b, at) - 1, perChunk = u32(b, at + 4);
        const lastChunk = r + 1 < runs ? u32(b, at + 12) - 1 : chunks;
        for (let c = firstChunk; c < lastChunk && sample < count; c++) {
            let pos = chunkOffset[c];
            for (let k = 0; k < perChunk && sample < count; k++) { offset[sample] = pos; pos += size[sample]; sample++ }
        }
    }

    const dts = new Float64Array(count + 1);
    const stts = find("stts");
    let t = 0, s = 0;
    for (let e = 0, n = u32(b, stts.start + 12); e < n; e++) {
        const runCount = u32(b, stts.start + 16 + 8 * e), delta = u32(b, stts.start + 20 + 8 * e);
        for (let k = 0; k < runCount && s < count; k++) { dts[s++] = t; t += delta }
    }
    dts[count] = t; // the end of the last sample

    const cts = new Int32Array(count);
    const ctts = find("ctts");
    if (ctts) {
        s = 0;
        for (let e = 0, n = u32(b, ctts.start + 12); e < n; e++) {
            const runCount = u32(b, ctts.start + 16 + 8 * e), off = i32(b, ctts.start + 20 + 8 * e);
            for (let k = 0; k < runCount && s < count; k++) cts[s++] = off;
        }
    }

    const key = new Uint8Array(count);
    const stss = find("stss");
    if (stss) for (let e = 0, n = u32(b, stss.start + 12); e < n; e++) key[u32(b, stss.start + 16 + 4 * e) - 1] = 1;
    else key.fill(1);
    return { count, offset, size, dts, cts, key };
}

/** The index of the last sample whose decode time is at or before `time` (seconds). */
export function sampleAt(track, time) {
    const target = time * track.timescale + track.mediaTime;
    let lo = 0, hi = track.count - 1;
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (track.dts[mid] <= target) lo = mid; else hi = mid - 1;
    }
    return lo;
}

/** The key frame at or before sample `i`. */
export function keyBefore(track, i) {
    while (i > 0 && !track.key[i]) i--;
    return i;
}

/** The first key frame after sample `i`, or the sample count. */
export function keyAfter(track, i) {
    for (let k = i + 1; k < track.count; k++) if (track.key[k]) return k;
    return track.count;
}
