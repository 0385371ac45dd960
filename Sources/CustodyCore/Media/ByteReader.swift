import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Random-access, bounded reads over a file or a buffer, so probes never load whole clips.
///
/// Body-camera clips run to many gigabytes; a probe only needs a few headers, so it asks for
/// small windows at explicit offsets instead of streaming or mapping the whole file.
public protocol ByteReader: Sendable {
    /// Total number of readable bytes. Reads never return data past this point.
    var size: UInt64 { get }
    /// Returns up to `count` bytes at `offset` (fewer at end of data). Throws on I/O errors.
    func read(offset: UInt64, count: Int) throws -> [UInt8]
}

/// Errors raised by the concrete readers in this file.
public enum ByteReaderError: Error, Sendable, Equatable {
    /// `pread` failed; carries the `errno` so callers can log the real cause.
    case readFailed(errno: Int32)
}

/// An in-memory reader, used for tests and for data already held in memory.
public struct BufferReader: ByteReader {
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var size: UInt64 { UInt64(bytes.count) }

    public func read(offset: UInt64, count: Int) throws -> [UInt8] {
        // Out-of-range requests are not errors: the contract is "up to count bytes".
        guard count > 0, offset < UInt64(bytes.count) else { return [] }
        let start = Int(offset)  // < bytes.count, so it fits in Int
        let end = start + min(count, bytes.count - start)
        return Array(bytes[start..<end])
    }
}

/// Reads an already-open file descriptor with `pread`, so concurrent probes never race on a
/// shared file position and the descriptor can be reused by the caller afterwards.
///
/// The reader does not own the descriptor: the caller opens it and closes it. `size` is taken
/// as given (usually from `fstat`) and reads are clipped to it, so a file that grows while it
/// is being probed is seen as the snapshot the caller measured.
public struct FileDescriptorReader: ByteReader {
    public let fd: Int32
    public let size: UInt64

    public init(fd: Int32, size: UInt64) {
        self.fd = fd
        self.size = size
    }

    public func read(offset: UInt64, count: Int) throws -> [UInt8] {
        guard count > 0, offset < size else { return [] }
        // off_t is signed 64-bit; anything beyond cannot be addressed by pread at all.
        let maxOffset = UInt64(Int64.max)
        guard offset < maxOffset else { return [] }
        let available = min(size - offset, maxOffset - offset)
        let wanted = Int(min(UInt64(count), available))  // <= count, so it fits in Int
        var buffer = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        var failure: Int32?
        buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            while filled < wanted {
                // offset + filled <= offset + wanted <= Int64.max, checked above.
                let position = off_t(offset + UInt64(filled))
                let n = pread(fd, base + filled, wanted - filled, position)
                if n > 0 {
                    filled += n
                } else if n == 0 {
                    break  // end of file came earlier than `size` claimed
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if let code = failure { throw ByteReaderError.readFailed(errno: code) }
        if filled < wanted { buffer.removeLast(wanted - filled) }
        return buffer
    }
}
