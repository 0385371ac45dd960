import CustodyCore
import Foundation
import TOMLKit

extension ConfigLoader {
    /// `[[device_profile]]`: what the station may do to, and read from, cameras of one brand.
    static func parseDeviceProfiles(_ profiles: TOMLValueConvertible, source: String) throws -> [CustodyConfig.DeviceProfile] {
        guard let array = profiles.array else {
            throw ConfigError(description: "\(source): device_profile must be an array of tables ([[device_profile]])")
        }
        return try array.enumerated().map { index, item in
            guard let table = item.table else { throw ConfigError(description: "\(source): device_profile #\(index + 1) must be a table") }
            let p = Section(table: table, name: "device_profile #\(index + 1)", source: source)
            try p.allow(["brand", "timeset_file", "timeset_format", "clock_file", "clock_format", "release_after_dump", "release_wait_seconds"])
            var profile = CustodyConfig.DeviceProfile(brand: try p.string("brand"), timesetFile: try p.optionalString("timeset_file"))
            for (key, name) in [("timeset_file", profile.timesetFile), ("clock_file", try p.optionalString("clock_file"))] {
                if let name, name.isEmpty || name.contains("/") || name.hasPrefix(".") {
                    throw ConfigError(description: "\(source): device_profile #\(index + 1) \(key) must be a plain file name at the camera's root")
                }
            }
            profile.timesetFormat = try p.optionalString("timeset_format") ?? profile.timesetFormat
            profile.clockFile = try p.optionalString("clock_file")
            profile.clockFormat = try p.optionalString("clock_format") ?? profile.clockFormat
            profile.releaseAfterDump = try p.bool("release_after_dump", default: false)
            profile.releaseWaitSeconds = try p.number("release_wait_seconds", default: profile.releaseWaitSeconds)
            return profile
        }
    }
}
