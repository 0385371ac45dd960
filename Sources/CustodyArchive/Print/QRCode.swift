import Foundation

/// A QR code made by `qrencode` (Debian `qrencode`, installed by the Makefile), drawn into our own
/// SVG pages as one path. Used for the audit head on disc labels: 64-digit hashes are long for the
/// eye at print size, a phone or `zbarimg` reads the code exactly.
public struct QRCode: Sendable, Equatable {
    /// Rows of modules, true for dark; no quiet zone.
    public let modules: [[Bool]]

    /// Encodes `text` as bytes at error-correction level M.
    public init(encoding text: String) throws {
        let out = try ProcessRunner.run("qrencode", ["-t", "ASCII", "-m", "0", "-l", "M", "-8", "-o", "-", "--", text], timeout: 30)
        guard out.status == 0, !out.timedOut else {
            throw LabelError.conversionFailed("qrencode exit \(out.status): \(ProcessRunner.tail(out.combined))")
        }
        let rows = out.stdout.split(separator: "\n").map { line -> [Bool] in
            let characters = Array(line)
            return stride(from: 0, to: characters.count, by: 2).map { characters[$0] == "#" }
        }.filter { !$0.isEmpty }
        guard let width = rows.first?.count, rows.count == width, rows.allSatisfy({ $0.count == width }) else {
            throw LabelError.conversionFailed("qrencode gave a matrix that is not square")
        }
        modules = rows
    }

    /// The code as an SVG group at (`x`, `y`), `size` mm wide including a white quiet zone of two
    /// modules on every side.
    public func svg(x: Double, y: Double, size: Double) -> String {
        let count = Double(modules.count + 4)
        let module = size / count
        var path = ""
        for (row, line) in modules.enumerated() {
            for (column, dark) in line.enumerated() where dark {
                path += String(format: "M%.3f %.3fh%.3fv%.3fh-%.3fz", x + (Double(column) + 2) * module, y + (Double(row) + 2) * module,
                               module, module, module)
            }
        }
        return String(format: "<rect x=\"%.3f\" y=\"%.3f\" width=\"%.3f\" height=\"%.3f\" fill=\"white\"/>", x, y, size, size)
            + "<path d=\"\(path)\" fill=\"black\" shape-rendering=\"crispEdges\"/>"
    }
}
