import CustodyIngest
import Foundation
import NIOCore
import Testing
@testable import CustodyServer

/// Availability issue (#18), item 3: one event listener's buffer is bounded.
@Suite("Event lines")
struct EventLinesTests {
    @Test("a listener that falls a whole buffer behind is dropped, and its stream ends with a line saying it missed events")
    func slowListenerCutOff() async throws {
        let hub = EventHub()
        let subscription = hub.subscribe(capacity: 2)
        for i in 0..<5 { hub.publish(CustodyEvent(kind: .alarm, at: Date(), message: "event \(i)")) }
        #expect(hub.listenerCount == 0 && hub.droppedListeners == 1 && subscription.fellBehind)
        var lines: [String] = []
        for await line in EventLines(opening: [CustodyEvent(kind: .hello, at: Date(), message: "0 dumps active")], events: subscription) {
            lines.append(String(buffer: line))
        }
        #expect(lines.count == 4, "hello, the 2 buffered events, missed: \(lines)")
        #expect(lines.last?.contains("\"type\":\"missed\"") == true)
        #expect(lines[1].contains("event 0") && lines[2].contains("event 1"))
    }
}
