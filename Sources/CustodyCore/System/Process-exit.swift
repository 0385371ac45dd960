import Foundation

extension Process {
    /// Waits until the child has exited, by polling `isRunning` (the Process's own monitor thread
    /// sets it when the kernel reports the exit).
    ///
    /// Not `waitUntilExit()`: on Linux it spins the caller's run loop with a deadline taken from
    /// the wall clock while the run loop measures time on another clock, so when the two disagree
    /// (a wall clock stepped by NTP or by an administrator, or libfaketime in the date suites) it
    /// can block for as long as the step, long after the child is gone.
    public func waitForExit(pollingEvery interval: TimeInterval = 0.01) {
        while isRunning { Thread.sleep(forTimeInterval: interval) }
    }
}
