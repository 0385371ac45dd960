import Glibc

/// Writes a temp file's bytes in order for `PipelinedCopier.stage`, with O_DIRECT while every
/// write is 4 KiB aligned (offset, length and buffer; the ring's slots are page-aligned and
/// 4 KiB multiples), and buffered from the first write that is not (a file's tail, or a short
/// read from the source mid-file) or when the filesystem refuses O_DIRECT (EINVAL at `fcntl` or
/// at the write).
///
/// Why (issue 21): a buffered write copies every byte into the page cache, and writeback then
/// finds, writes and drops those pages again; with O_DIRECT the device reads the ring's buffer,
/// which the hash has just read, and nothing is left dirty for the batch's barrier. The
/// guarantees do not move: the barrier still makes the data durable before the read-back, which
/// still reads the device with O_DIRECT.
struct TempWriter {
    let fd: Int32, path: String
    /// Whether writes go through the page cache (from the first one that could not go direct).
    private(set) var buffered: Bool
    private let flags: Int32

    init(fd: Int32, path: String, direct: Bool) {
        self.fd = fd
        self.path = path
        flags = fcntl(fd, F_GETFL)
        buffered = !(direct && flags >= 0 && fcntl(fd, F_SETFL, flags | Linux.oDirect) == 0)
    }

    /// Writes `bytes` at `offset`, the file's current end (every byte before it written already).
    mutating func write(_ bytes: UnsafeRawBufferPointer, at offset: off_t) throws {
        if !buffered && !Self.aligned(bytes, at: offset) { try goBuffered() }
        try PipelinedCopier.writeAll(fd: fd, bytes, tempPath: path) {
            guard !buffered else { return false }
            try goBuffered()  // refused after all (a short direct write leaves the rest unaligned too)
            return true
        }
    }

    private mutating func goBuffered() throws {
        guard fcntl(fd, F_SETFL, flags) == 0 else { throw StoreError.io(what: "fcntl \(path)", errno: errno) }
        buffered = true
    }

    static func aligned(_ bytes: UnsafeRawBufferPointer, at offset: off_t) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return (Int(bitPattern: base) | bytes.count | Int(offset)) & 4095 == 0
    }
}
