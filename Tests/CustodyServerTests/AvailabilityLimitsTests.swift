import CustodyCore
import Foundation
import Testing
@testable import CustodyConfigFile
@testable import CustodyServer

/// Availability issue (#18): what one local user may take of the daemon is bounded.
@Suite("Availability limits")
struct AvailabilityLimitsTests {
    @Test("one user holds at most max_connections_per_user connections, everyone but root leaves the privileged ones free, and a connection given back can be taken again")
    func connectionGate() {
        let gate = ConnectionGate(total: 10, perUser: 4, privileged: 2, privilegedUIDs: [0])
        for _ in 0..<4 { #expect(gate.admit(1000) == nil) }
        #expect(gate.admit(1000)?.reason.contains("max_connections_per_user") == true)
        for _ in 0..<4 { #expect(gate.admit(1001) == nil) }
        #expect(gate.admit(1002)?.reason.contains("max_connections") == true, "8 of 10 taken: the last 2 are root's")
        #expect(gate.admit(0) == nil && gate.admit(0) == nil)
        #expect(gate.admit(0) != nil, "all 10 taken")
        gate.release(1000)
        #expect(gate.admit(0) == nil)
        #expect(gate.openConnections == 10)
    }

    @Test("connections stay below the descriptor limit by the reserve")
    func descriptorBudget() {
        let budget = DescriptorBudget.claim(maxConnections: 1 << 20, reserve: 256)
        #expect(budget.connections <= budget.limit - 256)
    }

    @Test("[limits] is read, and a per-user cap above the total is refused naming the key")
    func limitsSection() throws {
        let config = try ConfigLoader.parse(ConfigLoaderTests.minimal + "\n[limits]\nmax_connections = 100\nevent_buffer = 32\n", baseDirectory: "/srv")
        #expect(config.limits.maxConnections == 100 && config.limits.eventBuffer == 32)
        #expect(throws: (any Error).self) {
            try ConfigLoader.parse(ConfigLoaderTests.minimal + "\n[limits]\nmax_connections = 10\nmax_connections_per_user = 20\n", baseDirectory: "/srv")
        }
    }
}
