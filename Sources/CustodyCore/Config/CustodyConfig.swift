import Foundation

/// The daemon's settings. Every key but the `[paths]`, `[watch]`, `[policy]` and `[station]`
/// essentials has a default, so a config naming only those runs (DESIGN.md, "Interface contract").
///
/// Rules differ by agency (RULES.md): deadlines, retention and file-name grammars are settings here,
/// never constants in code.
public struct CustodyConfig: Sendable, Equatable {
    public struct Paths: Sendable, Equatable {
        /// Root of the write-once, content-addressed evidence store.
        public var store: String
        /// The SQLite catalog file.
        public var catalog: String
        /// The admin API's Unix socket.
        public var socket: String
        /// Spool folder for disc images and exports.
        public var spool: String
        /// The station's Ed25519 signing key (made at first start); `station.key` beside the
        /// catalog unless set. A file of its own: whoever can rewrite the catalog must not be
        /// able to sign tree heads.
        public var stationKey: String?
        public init(store: String, catalog: String, socket: String, spool: String) {
            self.store = store; self.catalog = catalog; self.socket = socket; self.spool = spool
        }

        /// Where the station key is.
        public var resolvedStationKey: String {
            stationKey ?? ((catalog as NSString).deletingLastPathComponent as NSString).appendingPathComponent("station.key")
        }
    }

    public struct Watch: Sendable, Equatable {
        /// Folders under which a newly mounted filesystem is a candidate camera dump.
        public var mountRoots: [String]
        /// Folders that docking hardware copies camera files into.
        public var dropDirs: [String]
        /// Filesystem types accepted under `mountRoots` (kernel and FUSE forms).
        public var filesystemTypes: [String] = CustodyConfig.defaultFilesystemTypes
        /// Seconds a dropped file must stay closed and unchanged before it is ingested.
        public var settleSeconds: Double = 5
        public init(mountRoots: [String], dropDirs: [String]) {
            self.mountRoots = mountRoots; self.dropDirs = dropDirs
        }
    }

    public struct Policy: Sendable, Equatable {
        /// Upload deadline: hours after the recording (RULES.md, "Ingest and the upload deadline").
        public var uploadDeadlineHours: Double
        /// Routine retention in months (RULES.md, "Retention").
        public var retentionMonths: Int
        /// Why `retentionMonths` lies outside the rules' range (10–24), when it does; without a
        /// reason such a value is refused at load (issue 19, item 3).
        public var retentionOverrideReason: String?
        public init(uploadDeadlineHours: Double, retentionMonths: Int) {
            self.uploadDeadlineHours = uploadDeadlineHours; self.retentionMonths = retentionMonths
        }
    }

    public struct Station: Sendable, Equatable {
        /// The unit (制作单位) that operates this station.
        public var unit: String
        /// Zone for camera wall-clock times; `nil` means the system's.
        public var timeZone: String?
        /// The agency's own order of its units (中队, 派出所), in which reports list them; units not
        /// named here follow in code order.
        public var unitOrder: [String] = []
        public init(unit: String, timeZone: String? = nil) { self.unit = unit; self.timeZone = timeZone }

        /// The station's zone, falling back to the system's when unset or unknown.
        public var resolvedTimeZone: TimeZone {
            timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
        }
    }

    public struct Ingest: Sendable, Equatable {
        /// Free bytes the store keeps in reserve: below it, ingest pauses rather than fill the disk.
        public var reserveBytes: UInt64 = 512 * 1024 * 1024
        /// How many times a file that changed during the copy is retried before it is flagged.
        public var changedFileRetries: Int = 2
        /// Copy buffer size in bytes: small enough to stay in the CPU's cache between the read,
        /// the hash and the write (performance issue: faster than 4 MiB, and 11 MiB less memory).
        public var bufferBytes: Int = 512 * 1024
        /// A camera that delivers no data for this long during a copy raises a stall alert.
        public var stallSeconds: Double = 60
        /// Group commit (every file; a clip larger than the byte limit is a batch of its own): a
        /// batch is made durable and cataloged at
        /// this many files, this many bytes or this long after its first file, whichever first.
        public var groupCommitFiles: Int = 256
        public var groupCommitBytes: UInt64 = 64 << 20
        public var groupCommitSeconds: Double = 1
        /// How a stored copy's read-back from the device is compared with the bytes copied.
        public var readBack: ReadBackCheck = .sha256
        public init() {}
    }

    public struct API: Sendable, Equatable {
        /// Group that owns the socket (mode 0660) and whose members may read.
        public var socketGroup: String? = nil
        /// Unix users and groups allowed the viewer role, besides root.
        public var viewerUsers: [String] = []
        public var viewerGroups: [String] = []
        /// Unix users and groups allowed the clerk role (ledger changes), besides root.
        public var clerkUsers: [String] = []
        public var clerkGroups: [String] = []
        /// Unix users and groups with the approver role: approve deadline exceptions (and, later,
        /// access requests and disposals), besides root.
        public var approverUsers: [String] = []
        public var approverGroups: [String] = []
        /// Unix users and groups with the admin role: disposal proposals and approvals, disc burning.
        public var adminUsers: [String] = []
        public var adminGroups: [String] = []
        /// Unix users and groups with the auditor role: read everything, the audit log included.
        public var auditorUsers: [String] = []
        public var auditorGroups: [String] = []
        public init() {}
    }

    public var paths: Paths
    public var watch: Watch
    public var policy: Policy
    public var station: Station
    public var ingest = Ingest()
    public var api = API()
    /// What one local user may take of the daemon (`[limits]`).
    public var limits = Limits()
    public var grammars: [FileNameGrammar] = FileNameGrammar.defaults
    /// How clips are checked against the device ledger (`[ledger]`).
    public var matching = MatchPolicy()
    /// The working-day calendar file (`[deadlines] calendar`); weekends only when nil or missing.
    public var calendarFile: String?
    /// How deadlines are watched and alerts sent (`[deadlines]`, `[alerts]`).
    public var alerts = Alerts()
    /// Store capacity thresholds (`[capacity]`).
    public var capacity = Capacity()

    /// The live deadline watch and where its alerts go (deadlines issue, "Alerts").
    public struct Alerts: Sendable, Equatable {
        /// Seconds between deadline scans.
        public var scanSeconds: Double = 60
        /// Handovers whose due time is older than this are no longer watched (history imported from paper).
        public var lookbackDays: Double = 30
        /// Program (and arguments) run for each new alert, the alert as JSON on stdin; none by default.
        public var command: [String] = []
        /// Seconds the alert command may run before it is killed.
        public var commandTimeoutSeconds: Double = 10
        public init() {}
    }

    /// When the store's free space is worth a warning (deadlines issue, "Storage capacity").
    public struct Capacity: Sendable, Equatable {
        public var warningFreePercent: Double = 15
        public var criticalFreePercent: Double = 5
        /// Warn when the store is expected to be full within this many days at the recent ingest rate.
        public var warningDays: Double = 30
        public var criticalDays: Double = 7
        public init() {}
    }

    /// The fixity scrub (`[scrub]`).
    public var scrub = Scrub()

    /// Background re-hashing of the store (access issue, "Fixity scrub").
    public struct Scrub: Sendable, Equatable {
        public var enabled = true
        /// Read rate limit, bytes per second, so the scrub never crowds out ingest.
        public var bytesPerSecond: Double = 20 * 1_048_576
        /// One full pass per this many days (the next pass waits until the period is over).
        public var periodDays: Double = 30
        public init() {}
    }

    /// Which roles may see metadata of confidential clips, by flag (root always may). Not yet a
    /// config key: the rules' default clearance (approvers for state secrets, approvers and clerks
    /// for trade secrets and privacy).
    public var confidentialRoles: [String: [String]] = [
        "state-secret": ["approver"], "trade-secret": ["approver", "clerk"], "privacy": ["approver", "clerk"],
    ]

    /// Long-term keeping on disc (`[discs]`).
    public var discs = Discs()

    /// Disc sets (RULES.md, "Long-term keeping on disc").
    public struct Discs: Sendable, Equatable {
        /// Media the planner packs for: cd, dvd, dvd-dl, bd25, bd50, bd100.
        public var media: DiscMedia = .dvd
        /// `spool` writes each copy's ISO into `<spool>/discs` for a burning station; a device path
        /// (`/dev/sr0`, or xorriso's `stdio:/file` pseudo-drive) burns on an optical drive.
        public var burner = "spool"
        /// The maker (制作人) printed on labels when a burn does not name one.
        public var maker = ""
        /// Plan a set once the oldest queued clip has waited this many days, even if it is not full.
        public var maxWaitDays: Double = 30
        /// Plan automatically (full disc or waited long enough); otherwise only `discs plan`.
        public var autoPlan = true
        public init() {}
    }

    /// Per-brand device behaviour (`[[device_profile]]`); none by default.
    public var deviceProfiles: [DeviceProfile] = []

    /// What the station may do to cameras of one brand. Writing to a camera is off unless an
    /// admin names a time-set file here (foundation principle: never write to a camera unless enabled).
    public struct DeviceProfile: Sendable, Equatable {
        /// Matches the device's brand in the ledger.
        public var brand: String
        /// File written to the camera's root after a verified dump, so it sets its clock on next boot.
        public var timesetFile: String?
        /// Station time format for the file's content (Unicode date pattern).
        public var timesetFormat = "yyyy-MM-dd HH:mm:ss"
        /// A file at the camera's root in which the camera writes its clock when it is docked: the
        /// most direct evidence of its offset (attribution issue, item 1). Read only.
        public var clockFile: String?
        /// The clock file's time format (Unicode date pattern, the camera's wall clock).
        public var clockFormat = "yyyy-MM-dd HH:mm:ss"
        /// Releasing the camera (attribution issue, item 7; the peers' "delete after verified
        /// upload"): after a complete dump with every file verified and cataloged, the recordings
        /// whose hash is in the store are removed from the camera. Off unless an admin sets it.
        public var releaseAfterDump = false
        /// How long to wait for the mount helper to make a read-only camera writable for the release.
        public var releaseWaitSeconds: Double = 120
        public init(brand: String, timesetFile: String?) { self.brand = brand; self.timesetFile = timesetFile }
    }

    public init(paths: Paths, watch: Watch, policy: Policy, station: Station) {
        self.paths = paths; self.watch = watch; self.policy = policy; self.station = station
    }

    /// Kernel filesystem types a body camera's storage arrives as, and their FUSE forms.
    public static let defaultFilesystemTypes = [
        "vfat", "exfat", "ntfs3", "ext4",
        "fuse.vfat", "fuse.fusefat", "fuse.exfat", "fuse.exfat-fuse", "fuseblk", "fuse.ntfs3", "fuse.fuse2fs", "fuse.ext4",
    ]
}

/// How a stored copy, read back from the store's device after it was made durable, is compared
/// with the bytes read from the camera (`[ingest] read_back`, issue 21). Either way the clip's
/// SHA-256 is computed from the camera's bytes while they are copied, and nothing is cataloged
/// before the comparison matched.
public enum ReadBackCheck: String, Sendable, CaseIterable {
    /// The read-back's own SHA-256 must equal the clip's (two SHA-256 passes over every byte).
    case sha256
    /// XXH3-128 of the read-back must equal XXH3-128 of the copied bytes, computed over the same
    /// buffers as the SHA-256: proves the disk holds exactly the hashed bytes against any
    /// corruption, for about a seventh of SHA-256's CPU (one core here: XXH3 8.9 GB/s, SHA-256
    /// with SHA-NI 1.35 GB/s). Not collision-resistant against a forger,
    /// which no read-back is asked to be: the content address, the fixity scrub, `fsck` and
    /// every disc check recompute SHA-256 from the store.
    case xxh3 = "xxh3-128"
}
