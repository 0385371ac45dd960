import CustodyCore
import Foundation

extension ConfigLoader {
    /// `[limits]` (availability issue): connections, timeouts, event buffers, refusal rows.
    static func parseLimits(_ doc: Section, into config: inout CustodyConfig) throws {
        guard let section = try doc.optionalSection("limits") else { return }
        try section.allow(["max_connections", "max_connections_per_user", "descriptor_reserve", "header_timeout_seconds",
                           "idle_timeout_seconds", "event_buffer", "refusal_interval_seconds", "refusal_burst",
                           "refusal_rows_per_user", "page_default", "page_maximum"])
        var limits = config.limits
        limits.maxConnections = try section.positive("max_connections", default: limits.maxConnections)
        limits.maxConnectionsPerUser = try section.positive("max_connections_per_user", default: limits.maxConnectionsPerUser)
        limits.descriptorReserve = try section.positive("descriptor_reserve", default: limits.descriptorReserve)
        limits.headerTimeoutSeconds = try section.number("header_timeout_seconds", default: limits.headerTimeoutSeconds)
        limits.idleTimeoutSeconds = try section.number("idle_timeout_seconds", default: limits.idleTimeoutSeconds)
        limits.eventBuffer = try section.positive("event_buffer", default: limits.eventBuffer)
        limits.refusalIntervalSeconds = try section.number("refusal_interval_seconds", default: limits.refusalIntervalSeconds)
        limits.refusalBurst = try section.positive("refusal_burst", default: limits.refusalBurst)
        limits.refusalRowsPerUser = try section.positive("refusal_rows_per_user", default: limits.refusalRowsPerUser)
        limits.pageDefault = try section.positive("page_default", default: limits.pageDefault)
        limits.pageMaximum = try section.positive("page_maximum", default: limits.pageMaximum)
        guard limits.pageDefault <= limits.pageMaximum else {
            throw section.fail("page_default", "must not be above page_maximum (\(limits.pageMaximum))")
        }
        for (key, value) in [("header_timeout_seconds", limits.headerTimeoutSeconds), ("idle_timeout_seconds", limits.idleTimeoutSeconds),
                             ("refusal_interval_seconds", limits.refusalIntervalSeconds)] where !(value > 0 && value <= 86_400) {
            throw section.fail(key, "must be above 0 and at most 86400")
        }
        guard limits.maxConnectionsPerUser <= limits.maxConnections else {
            throw section.fail("max_connections_per_user", "must not be above max_connections (\(limits.maxConnections))")
        }
        limits.privilegedConnections = min(limits.privilegedConnections, limits.maxConnections / 4)
        config.limits = limits
    }
}
