// Repackages samples of an MP4 original as fragmented MP4 (ISO/IEC 14496-12 movie fragments),
// the form MediaSource takes: one initialization segment per track, then `moof`+`mdat` pairs.
// Only the container changes, in the browser's memory; the samples are the original's bytes.

function box(type, ...parts) {
    const body = parts.flat();
    const size = 8 + body.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(size);
    new DataView(out.buffer).setUint32(0, size);
    for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
    let at = 8;
    for (const p of body) { out.set(p, at); at += p.length }
    return out;
}

function bytes(...values) {
    // [width, value] pairs → big-endian bytes
    const out = [];
    for (let i = 0; i < values.length; i += 2) {
        const width = values[i];
        let v = values[i + 1];
        if (width === 8) { const hi = Math.floor(v / 4294967296); out.push(...bytes(4, hi, 4, v >>> 0)); continue }
        const part = [];
        for (let k = 0; k < width; k++) { part.unshift(v & 0xff); v = Math.floor(v / 256) }
        out.push(...part);
    }
    return new Uint8Array(out);
}

const fullBox = (type, version, flags, ...parts) => box(type, bytes(1, version, 3, flags), ...parts);
const matrix = bytes(4, 0x00010000, 4, 0, 4, 0, 4, 0, 4, 0x00010000, 4, 0, 4, 0, 4, 0, 4, 0x40000000);

/** ftyp + moov for one track (track id 1) with an empty sample table and `mvex`. */
export function initSegment(track) {
    const video = track.kind === "video";
    const ftyp = box("ftyp", new TextEncoder().encode("isom"), bytes(4, 1), new TextEncoder().encode("isomiso6mp41"));
    const mvhd = fullBox("mvhd", 0, 0, bytes(4, 0, 4, 0, 4, track.timescale, 4, 0, 4, 0x00010000, 2, 0x0100, 2, 0, 4, 0, 4, 0), matrix,
                         new Uint8Array(24), bytes(4, 2));
    const tkhd = fullBox("tkhd", 0, 3, bytes(4, 0, 4, 0, 4, 1, 4, 0, 4, 0, 4, 0, 4, 0, 2, 0, 2, 0, 2, video ? 0 : 0x0100, 2, 0), matrix,
                         bytes(4, track.width * 65536, 4, track.height * 65536));
    const mdhd = fullBox("mdhd", 0, 0, bytes(4, 0, 4, 0, 4, track.timescale, 4, 0, 2, 0x55c4, 2, 0));
    const hdlr = fullBox("hdlr", 0, 0, bytes(4, 0), new TextEncoder().encode(video ? "vide" : "soun"), new Uint8Array(12),
                         new TextEncoder().encode(video ? "VideoHandler\0" : "SoundHandler\0"));
    const header = video ? fullBox("vmhd", 0, 1, new Uint8Array(8)) : fullBox("smhd", 0, 0, new Uint8Array(4));
    const dinf = box("dinf", fullBox("dref", 0, 0, bytes(4, 1), fullBox("url ", 0, 1)));
    const stbl = box("stbl", track.stsd, fullBox("stts", 0, 0, bytes(4, 0)), fullBox("stsc", 0, 0, bytes(4, 0)),
                     fullBox("stsz", 0, 0, bytes(4, 0, 4, 0)), fullBox("stco", 0, 0, bytes(4, 0)));
    const trak = box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", header, dinf, stbl)));
    const mvex = box("mvex", fullBox("trex", 0, 0, bytes(4, 1, 4, 1, 4, 0, 4, 0, 4, 0)));
    return concat([ftyp, box("moov", mvhd, trak, mvex)]);
}

let sequence = 0;

/**
 * moof + mdat holding samples [first, end) of `track`; `bytesAt(offset, size)` gives the file's
 * bytes at a file offset. Decode times are the original's; composition offsets are kept (version 1
 * trun, signed), so B-frames play in order.
 */
export function fragment(track, first, end, bytesAt) {
    const n = end - first;
    const payload = new Uint8Array(Array.from({ length: n }, (_, k) => track.size[first + k]).reduce((a, b) => a + b, 0));
    const entries = new Uint8Array(16 * n);
    const view = new DataView(entries.buffer);
    let at = 0;
    for (let k = 0; k < n; k++) {
        const i = first + k;
        payload.set(bytesAt(track.offset[i], track.size[i]), at);
        at += track.size[i];
        view.setUint32(16 * k, track.dts[i + 1] - track.dts[i]);
        view.setUint32(16 * k + 4, track.size[i]);
        view.setUint32(16 * k + 8, track.key[i] ? 0x02000000 : 0x01010000);
        view.setInt32(16 * k + 12, track.cts[i]);
    }
    const build = dataOffset => box("moof",
        fullBox("mfhd", 0, 0, bytes(4, ++sequence)),
        box("traf",
            fullBox("tfhd", 0, 0x020000, bytes(4, 1)),
            fullBox("tfdt", 1, 0, bytes(8, track.dts[first])),
            fullBox("trun", 1, 0x000F01, bytes(4, n, 4, dataOffset), entries)));
    const probe = build(0);
    const moof = build(probe.length + 8);
    return concat([moof, box("mdat", payload)]);
}

function concat(parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length }
    return out;
}
