import Foundation

/// Runs blocking work on a thread of its own and waits for it without holding a thread of the
/// cooperative pool (long scans of the store or the catalog by the daemon's own services).
public enum OwnThread {
    public static func run<T: Sendable>(_ name: String, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = name
            thread.start()
        }
    }
}
