import CustodyCore

/// Whether a mounted medium is a body camera's storage (foundation issue, item 4).
public enum Recognition: Sendable, Equatable {
    case camera(reason: String)
    case refused(reason: String)
}

/// Recognises a body-camera dump by a `DCIM` tree, an identity file (`sn.txt` …) at the root,
/// or file names that match a configured grammar. Plain USB sticks are not evidence: anything
/// else is refused with a reason that is logged, audited and shown in `dumps list`.
public struct CameraRecognizer: Sendable {
    public let grammars: FileNameGrammarSet
    public init(grammars: FileNameGrammarSet) { self.grammars = grammars }

    public func judge(_ scan: ScanResult) -> Recognition {
        if scan.rootNames.contains("DCIM") {
            return .camera(reason: "DCIM folder at the root")
        }
        let identity = Set(SideFiles.identityFileNames.map { $0.uppercased() })
        if let name = scan.rootNames.first(where: identity.contains) {
            return .camera(reason: "identity file \(name) at the root")
        }
        let matching = scan.files.filter { grammars.parse(relativePath: $0.path.display, timeZone: .gmt) != nil }
        if !matching.isEmpty {
            return .camera(reason: "\(matching.count) file names match a configured grammar")
        }
        return .refused(reason: "no DCIM folder, no identity file (sn.txt) and no file name matching a configured grammar among \(scan.files.count) files: not a body camera; nothing was copied")
    }
}
