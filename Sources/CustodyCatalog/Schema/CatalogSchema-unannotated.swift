extension CatalogSchema {
    /// Issue 19, item 1: a disposed clip awaits no annotation. The annotation backlog (the
    /// deadline watch's "clips awaiting annotation" per officer) reads the partial index
    /// `clip_unannotated`; it is rebuilt to hold only clips still in the store, so the backlog
    /// and the index agree and a disposal takes the clip out of both.
    static let unannotatedLiveSQL = """
        DROP INDEX clip_unannotated;
        CREATE INDEX clip_unannotated ON clip(officer_badge, annotation_due_at, ingested_at, annotated_at, disposed_at)
            WHERE annotated_at IS NULL AND disposed_at IS NULL;
        """
}
