import Foundation
import Glibc
import Synchronization

/// Single-slot rings for small files, kept for the next file instead of unmapped: mapping, faulting
/// in and unmapping a fresh buffer for every photo took about 12 % of the daemon's CPU on 10,000
/// photos. At most `keep` are kept (16 × 1 MiB); more in use at once are mapped and unmapped.
final class RingPool: Sendable {
    let slotBytes: Int, keep: Int
    private let free = Mutex<[Ring]>([])

    init(slotBytes: Int, keep: Int) {
        self.slotBytes = slotBytes
        self.keep = keep
    }

    func take() throws -> Ring {
        if let ring = free.withLock({ $0.popLast() }) { return ring }
        return try Ring(count: 1, slotBytes: slotBytes)
    }

    /// Returns a ring whose `run` has ended (single-threaded runs only: no thread still uses it).
    func give(_ ring: Ring) {
        free.withLock { if $0.count < keep { $0.append(ring) } }
    }
}

/// `count` page-aligned buffers that the calling thread fills (and then drains) while one
/// hashing thread hashes them in order (SHA-256, XXH3-128 or both: `PassKinds`).
///
/// Why the unchecked Sendable conformance is sound: the threads share only the slot memory,
/// `lengths`, `kinds` and `digest`. `kinds` is written before the hashing thread is started (a
/// happens-before edge; the previous run's thread has ended by then) and only read by it. The
/// producer's k-th `free` permit is slot k mod count; it writes that slot and its length only
/// while holding the permit and publishes them with `filled.signal()`. The hasher reads slot i
/// only between its `filled.wait()` and `free.signal()`, so a slot is never written while hashed;
/// while hashed, the producer only reads it (the write to the temp file). Semaphore signal/wait
/// pairs give the happens-before edges. `digest` is written before `done.signal()` and read after
/// `done.wait()`; `run` waits on `done` on every path, so the thread never outlives a `run` call
/// and the memory (freed in deinit) is never touched by it afterwards.
final class Ring: @unchecked Sendable {  // Sound: slots change hands only through semaphores (proof above).
    let count: Int, slotBytes: Int
    private let memory: UnsafeMutableRawPointer
    private let lengths: UnsafeMutablePointer<Int>
    private let free: DispatchSemaphore
    private let filled = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
    private var digest: PassDigest?
    /// What the hashing thread computes in the current `run` (set before the thread starts).
    private var kinds = PassKinds.sha256

    init(count: Int, slotBytes: Int) throws {
        self.count = count
        self.slotBytes = slotBytes
        // Straight from mmap, and back with munmap: through malloc, buffers freed on the committer
        // thread stayed in glibc's arenas (its mmap threshold grows after the first free), and
        // peak RSS during a 4 × 500 MB ingest varied from 60 to 390 MiB between runs.
        let bytes = count * slotBytes
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mapped, mapped != MAP_FAILED else { throw StoreError.io(what: "map \(bytes >> 20) MiB of copy buffers", errno: errno) }
        memory = mapped
        lengths = .allocate(capacity: count)
        free = DispatchSemaphore(value: count)
    }

    deinit {
        munmap(memory, count * slotBytes)
        lengths.deallocate()
    }

    private func slot(_ i: Int) -> UnsafeMutableRawPointer { memory + i * slotBytes }

    /// Repeats fill → (hash ∥ drain) until fill returns 0; returns the digests (`kinds`) of all
    /// filled bytes. Single-threaded when `threaded` is false. Reusable: every permit is returned on exit.
    func run(threaded: Bool, kinds: PassKinds = .sha256, fill: (UnsafeMutableRawPointer, Int) throws -> Int,
             drain: (UnsafeRawBufferPointer) throws -> Void) throws -> PassDigest {
        guard threaded else {
            var hasher = PassHasher(kinds)
            while true {
                let n = try fill(slot(0), slotBytes)
                if n == 0 { return hasher.finalize() }
                let chunk = UnsafeRawBufferPointer(start: slot(0), count: n)
                hasher.update(chunk)
                try drain(chunk)
            }
        }
        self.kinds = kinds  // read by the thread, which starts after this write
        IngestPriority.startThread(.hash) { [self] in hashLoop() }
        var i = 0, holding = false
        var failure: (any Error)?
        do {
            while true {
                free.wait()
                holding = true
                let n = try fill(slot(i), slotBytes)
                if n == 0 { break }
                lengths[i] = n
                let chunk = UnsafeRawBufferPointer(start: slot(i), count: n)
                filled.signal()
                holding = false
                i = (i + 1) % count
                try drain(chunk)
            }
        } catch {
            failure = error
        }
        if !holding { free.wait() }
        lengths[i] = -1  // end of stream
        filled.signal()
        done.wait()
        if let failure { throw failure }
        return digest!
    }

    private func hashLoop() {
        var hasher = PassHasher(kinds)
        var i = 0
        while true {
            filled.wait()
            let n = lengths[i]
            if n >= 0 { hasher.update(UnsafeRawBufferPointer(start: slot(i), count: n)) }
            free.signal()
            if n < 0 { break }
            i = (i + 1) % count
        }
        digest = hasher.finalize()
        done.signal()
    }
}
