import Foundation
import Testing
@testable import CustodyIngest

/// A dump's live progress (`dumps list`, `status`, the event stream): the bytes read of a large
/// file move the figure, and a committed batch counting them as done never takes any back.
@Suite("Ingest progress") struct IngestMonitorTests {
    private func started(bytesTotal: Int64) -> IngestMonitor {
        let monitor = IngestMonitor()
        monitor.begin(DumpProgress(dumpID: 1, mountPoint: "/media/cam1", state: .copying,
                                   filesTotal: 2, bytesTotal: bytesTotal, startedAt: Date()))
        return monitor
    }
    private func moved(_ monitor: IngestMonitor) -> Int64? { monitor.active.first?.bytesMoved }

    @Test("bytes moved never go back when the worker's snapshot counts a committed batch while the next file is read")
    func neverBack() {
        let monitor = started(bytesTotal: 300)
        var worker = DumpProgress(dumpID: 1, mountPoint: "/media/cam1", state: .copying,
                                  filesTotal: 2, bytesTotal: 300, startedAt: Date())
        monitor.advance(1, by: 100)     // the first file read and staged
        monitor.advance(1, by: 150)     // the second read halfway
        #expect(moved(monitor) == 250)
        worker.filesDone = 1; worker.bytesDone = 100    // the first file's batch committed
        let first = worker
        monitor.update(1) { $0 = first }
        #expect(moved(monitor) == 250)
        monitor.advance(1, by: 50)
        #expect(moved(monitor) == 300)
        worker.filesDone = 2; worker.bytesDone = 300
        let second = worker
        monitor.update(1) { $0 = second }
        #expect(moved(monitor) == 300)
        #expect(monitor.active.first?.partialBytes == 0)
    }

    @Test("a file read twice (copied again after the store disk was full) counts once")
    func readTwiceCountsOnce() {
        let monitor = started(bytesTotal: 100)
        monitor.advance(1, by: 100)
        monitor.advance(1, by: 100)
        #expect(moved(monitor) == 100)
    }
}
