import Foundation

/// One difference found when re-reading a bag, worded for the clerk.
public struct BagProblem: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var messageZh: String
    public var description: String { message }
}

/// Re-reads a bag from the drive and checks it the way a receiving validator
/// would: every manifest line hashes right, no payload file is unlisted, the
/// Payload-Oxum adds up, and the tag manifest covers the tag files.
public enum BagVerifier {
    /// All problems found; empty means the bag is complete and valid.
    public static func verify(bagAt bag: URL) -> [BagProblem] {
        var problems: [BagProblem] = []
        func add(_ en: String, _ zh: String) {
            problems.append(BagProblem(message: en, messageZh: zh))
        }
        let root = bag.path
        guard let declaration = try? String(contentsOfFile: root + "/bagit.txt", encoding: .utf8),
              declaration.contains("BagIt-Version: 1.0") else {
            add("bagit.txt is missing or not version 1.0", "bagit.txt 缺失或版本不是 1.0")
            return problems
        }
        let payload = checkManifest(root, name: "manifest-sha256.txt", add: add)
        let listed = Set(payload.map { $0.path.precomposedStringWithCanonicalMapping })
        for file in payloadFiles(root, add: add) where !listed.contains(file) {
            add("\(file) is in the bag but not in the manifest", "\(file) 未列入清单")
        }
        let octets = payload.reduce(Int64(0)) { $0 + $1.bytes }
        let oxum = "\(octets).\(payload.count)"
        let info = (try? String(contentsOfFile: root + "/bag-info.txt", encoding: .utf8)) ?? ""
        if !info.split(separator: "\n").contains(Substring("Payload-Oxum: \(oxum)")) {
            add("Payload-Oxum in bag-info.txt does not match \(oxum)", "bag-info.txt 中的 Payload-Oxum 与实际（\(oxum)）不符")
        }
        let tags = checkManifest(root, name: "tagmanifest-sha256.txt", add: add)
        for required in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"] where !tags.contains(where: { $0.path == required }) {
            add("\(required) is not covered by the tag manifest", "标签清单未包含 \(required)")
        }
        return problems
    }

    /// Parses a manifest and re-hashes every file it lists.
    static func checkManifest(_ root: String, name: String, add: (String, String) -> Void) -> [BagManifestEntry] {
        guard let text = try? String(contentsOfFile: root + "/" + name, encoding: .utf8) else {
            add("\(name) is missing", "\(name) 缺失")
            return []
        }
        var entries: [BagManifestEntry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2 else {
                add("\(name) has a malformed line", "\(name) 中有格式错误的行")
                continue
            }
            let expected = String(parts[0]).lowercased()
            let path = BagPaths.manifestDecode(String(parts[1].drop(while: { $0 == " " || $0 == "\t" })))
            if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                add("\(name) names a path outside the bag: \(path)", "\(name) 含有包外路径：\(path)")
                continue
            }
            do {
                let (actual, bytes) = try SecureFileIO.hashFile(root + "/" + path)
                if actual != expected {
                    add("\(path) does not match its checksum", "\(path) 校验值不符")
                }
                entries.append(BagManifestEntry(path: path, sha256: actual, bytes: bytes))
            } catch {
                add("\(path) cannot be read: \(error.message)", "\(path) 无法读取：\(error.messageZh)")
            }
        }
        return entries
    }

    /// Bag-relative paths of everything under data/, links reported as problems.
    static func payloadFiles(_ root: String, add: (String, String) -> Void) -> [String] {
        let data = URL(fileURLWithPath: root + "/data")
        let keys: [URLResourceKey] = [.isSymbolicLinkKey, .isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: data, includingPropertiesForKeys: keys) else {
            add("data/ cannot be read", "data/ 无法读取")
            return []
        }
        let prefix = data.standardizedFileURL.path + "/"
        var files: [String] = []
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: Set(keys))
            let relative = "data/" + url.standardizedFileURL.path.dropFirst(prefix.count)
            if values?.isSymbolicLink == true {
                add("\(relative) is a symbolic link", "\(relative) 是符号链接")
            } else if values?.isRegularFile == true {
                files.append(relative.precomposedStringWithCanonicalMapping)
            }
        }
        return files
    }
}
