import Foundation

/// RIFF/WAVE (and RF64) probe: duration is the size of the `data` chunk over the byte rate in
/// `fmt `. Recorders that die mid-write leave placeholder sizes, so the probe falls back to the
/// bytes actually present and says so.
enum WAVProbe {
    /// Real WAVs have a few chunks; a long chain of tiny ones is corruption.
    static let maxChunks = 10_000
    /// Placeholder streaming writers put in size fields before they know the real length.
    static let unknownSize: UInt32 = 0xFFFF_FFFF

    static func probe(_ input: inout ProbeInput) -> MediaInfo {
        var info = MediaInfo(kind: .audio, format: "wav")
        var problems = ProblemList()
        do {
            if case let (dataBytes?, byteRate?)? = try scan(&input, &problems) {
                info.durationSeconds = Double(dataBytes) / Double(byteRate)
            }
        } catch {
            problems.add(ProbeInput.tag(for: error))
        }
        info.problems = problems.tags
        return info
    }

    /// Walks the chunk list and returns (data size in bytes, byte rate), either possibly nil.
    /// Returns nil outright when the RIFF header itself is wrong.
    static func scan(_ input: inout ProbeInput, _ problems: inout ProblemList) throws -> (UInt64?, UInt64?)? {
        let header = try input.read(0, 12)
        let magic = Endian.fourCC(header, 0)
        guard magic == "RIFF" || magic == "RF64", Endian.fourCC(header, 8) == "WAVE",
              let riffSize = Endian.little32(header, 4) else {
            problems.add("bad-header")
            return nil
        }
        // A RIFF size of 0 or all-ones means the writer never came back to finalise the header.
        let unfinalized = riffSize == 0 || riffSize == unknownSize
        let end = input.size
        var offset: UInt64 = 12
        var byteRate: UInt64?
        var dataBytes: UInt64?
        var ds64DataSize: UInt64?
        var chunks = 0
        while offset < end {
            chunks += 1
            guard chunks <= maxChunks else {
                problems.add("too-many-chunks")
                break
            }
            let chunk = try input.read(offset, 8)
            guard chunk.count == 8, let declared32 = Endian.little32(chunk, 4) else {
                problems.add("truncated")
                break
            }
            let payload = offset + 8
            let remaining = end - payload  // chunk.count == 8 means payload <= end
            var declared = UInt64(declared32)
            switch Endian.fourCC(chunk, 0) {
            case "ds64" where magic == "RF64":
                // RF64 keeps the real 64-bit sizes here: RIFF size, data size, sample count.
                ds64DataSize = Endian.little64(try input.read(payload, Int(min(16, remaining))), 8)
            case "fmt ":
                byteRate = try readByteRate(&input, at: payload, declared: declared, &problems)
            case "data":
                if declared32 == unknownSize, let big = ds64DataSize { declared = big }
                if declared > remaining {
                    problems.add("truncated")
                    declared = remaining
                } else if declared == 0 && unfinalized && remaining > 0 {
                    problems.add("unfinalized-header")
                    declared = remaining
                }
                dataBytes = declared
                if byteRate != nil { return (dataBytes, byteRate) }
            default:
                break
            }
            // Chunks are padded to even sizes; a missing final pad byte is harmless.
            let padded = declared + (declared & 1)
            if padded >= remaining {
                if declared > remaining { problems.add("truncated") }
                break
            }
            offset = payload + padded
        }
        if byteRate == nil { problems.add("no-fmt") }
        if dataBytes == nil { problems.add("no-data") }
        return (dataBytes, byteRate)
    }

    /// Byte rate from `fmt `, recomputed from sample rate and block alignment when the stored
    /// one is zero (some cheap recorders leave it blank).
    static func readByteRate(
        _ input: inout ProbeInput, at payload: UInt64, declared: UInt64,
        _ problems: inout ProblemList
    ) throws -> UInt64? {
        guard declared >= 16 else {
            problems.add("bad-fmt")
            return nil
        }
        let fmt = try input.read(payload, 16)
        guard let sampleRate = Endian.little32(fmt, 4), let stored = Endian.little32(fmt, 8),
              let blockAlign = Endian.little16(fmt, 12) else {
            problems.add("truncated")
            return nil
        }
        let rate = stored != 0 ? UInt64(stored) : UInt64(sampleRate) * UInt64(blockAlign)
        guard rate > 0 else {
            problems.add("bad-fmt")
            return nil
        }
        return rate
    }
}
