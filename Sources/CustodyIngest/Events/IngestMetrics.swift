import Prometheus

/// Counters the ingest path feeds, exposed in Prometheus text format at `GET /metrics`
/// (operations issue, item 5). Gauges that describe the present (free space, queue sizes) are
/// set by the server when it is scraped.
public struct IngestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let clipsIngested: Counter
    let bytesIngested: Counter
    let verificationFailures: Counter
    let copyFailures: Counter
    let fileSeconds: DurationHistogram

    /// `custody_<name>_<unit>` with its help text.
    public static func name(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "custody", metricName: name, unitName: unit, helpText: help)
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        clipsIngested = registry.makeCounter(descriptor: Self.name("clips_ingested", unit: "total", "New clips stored, verified and cataloged."))
        bytesIngested = registry.makeCounter(descriptor: Self.name("ingested", unit: "bytes_total", "Bytes of new clips stored."))
        verificationFailures = registry.makeCounter(descriptor: Self.name(
            "verification_failures", unit: "total", "Stored copies whose read-back did not match the source hash."))
        copyFailures = registry.makeCounter(descriptor: Self.name("copy_failures", unit: "total", "Files that could not be copied from a camera."))
        fileSeconds = registry.makeDurationHistogram(
            descriptor: Self.name("ingest", unit: "seconds", "Time to copy, verify and catalog one file."),
            buckets: [.milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(60), .seconds(300)])
    }
}
