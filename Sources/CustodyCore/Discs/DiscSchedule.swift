import Foundation

/// Decides when the daemon should plan (and burn) disc sets.
public enum DiscSchedule {
    /// Plan when the queue fills one disc to the fill target, or when the
    /// oldest queued clip has waited `maxWaitDays`. `queuedBytes` should be
    /// the sum of item footprints (`DiscItem.footprintBytes`); raw sizes
    /// slightly underestimate. In the max-wait case the caller should plan
    /// with `requireFull: false` so that the old clips are not left over again.
    public static func shouldPlan(
        queuedBytes: Int64,
        oldestQueuedAt: Date?,
        now: Date,
        maxWaitDays: Int,
        media: DiscMedia,
        reserveBytes: Int64? = nil,
        fillTarget: Double = DiscPlanner.defaultFillTarget
    ) -> (plan: Bool, reason: String) {
        guard let oldest = oldestQueuedAt, queuedBytes > 0 else {
            return (false, "queue is empty")
        }
        let usable = DiscSpace.usableBytes(media: media, reserveBytes: reserveBytes)
        let threshold = Int64(Double(usable) * fillTarget)
        if queuedBytes >= threshold {
            return (true, "queue holds \(DiscSpace.format(bytes: queuedBytes)), enough to fill one \(media.rawValue) disc (\(DiscSpace.format(bytes: threshold)) at \(Int(fillTarget * 100)) %)")
        }
        let waitedDays = now.timeIntervalSince(oldest) / 86_400
        if waitedDays >= Double(maxWaitDays) {
            return (true, String(format: "oldest clip has waited %.1f days (limit %d days)", waitedDays, maxWaitDays))
        }
        return (false, String(format: "queue holds %@ of %@ needed; oldest clip waited %.1f of %d days",
                               DiscSpace.format(bytes: queuedBytes), DiscSpace.format(bytes: threshold),
                               waitedDays, maxWaitDays))
    }
}
