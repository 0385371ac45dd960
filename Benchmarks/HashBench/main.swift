import CustodyCore
import CustodyIngest
import Foundation

/// `HashBench FILE [ROUNDS] [sha256|xxh3-128]`: hashes FILE ROUNDS times (default 3) with the
/// copier's hashing ring, computing what a read-back check computes (default SHA-256), and prints
/// one line per round: `<check> <hex> bytes <n> seconds <s> MiB/s <rate>`.
/// Run it on a file already in the page cache to time the hash, not the disk.
let arguments = CommandLine.arguments
guard arguments.count >= 2, arguments.count < 4 || ReadBackCheck(rawValue: arguments[3]) != nil else {
    FileHandle.standardError.write(Data("usage: HashBench FILE [ROUNDS] [sha256|xxh3-128]\n".utf8))
    exit(2)
}
let rounds = arguments.count >= 3 ? max(1, Int(arguments[2]) ?? 3) : 3
let check = arguments.count >= 4 ? ReadBackCheck(rawValue: arguments[3])! : .sha256
for _ in 0..<rounds {
    let clock = ContinuousClock()
    var result: (digest: String, bytes: UInt64) = ("", 0)
    do {
        let elapsed = try clock.measure { result = try PipelinedCopier.digest(ofFileAt: arguments[1], check: check) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "%@ %@ bytes %llu seconds %.3f MiB/s %.0f", check.rawValue, result.digest, result.bytes,
                     seconds, Double(result.bytes) / 1_048_576 / seconds))
    } catch {
        FileHandle.standardError.write(Data("HashBench: \(error)\n".utf8))
        exit(1)
    }
}
