import ArgumentParser
import CustodyAPI
import Foundation

struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The body cameras in the ledger and who has them.",
        subcommands: [Add.self, List.self, Show.self, Retire.self, Checkout.self, Checkin.self, LedgerImport<DevicesTable>.self, LedgerExport<DevicesTable>.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a device, or record a correction (a new revision).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Product serial (产品序号).") var serial: String
        @Option(help: "Brand (a correction keeps the current one if left out).") var brand: String?
        @Option(help: "Model.") var model: String?
        @Option(help: "Unit.") var unit: String?
        @Option(help: "Badge of the officer who keeps it (保管人).") var keeper: String?
        func run() async throws {
            try await perform {
                let request = DeviceRequest(serial: serial, brand: brand, model: model, unit: unit, keeperBadge: keeper)
                let (item, raw) = try await options.client.post("/v1/devices", request, as: DeviceItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("device \(item.serial) recorded (revision \(item.revision))", zh: "已登记设备 \(item.serial)（第 \(item.revision) 号记录）"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List devices; placeholders are cameras docked before anyone registered them.")
        @OptionGroup var options: GlobalOptions
        func run() async throws {
            try await perform {
                let (items, raw) = try await options.client.get("/v1/devices", as: [DeviceItem].self)
                if options.json { return printJSON(raw) }
                let headers = L10n.chinese ? ["产品序号", "品牌", "型号", "单位", "保管人", "状态"] : ["SERIAL", "BRAND", "MODEL", "UNIT", "KEEPER", "STATUS"]
                print(Format.table(headers, items.map {
                    [$0.serial, $0.brand, $0.model, $0.unit, $0.keeperBadge ?? "-",
                     $0.placeholder ? L10n.text("UNREGISTERED", zh: "未登记") : L10n.code(Vocabulary.deviceStatus, $0.status)]
                }))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a device: record history, handovers, dockings with clock offsets.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Product serial.") var serial: String
        func run() async throws {
            try await perform {
                let (detail, raw) = try await options.client.get("/v1/devices/\(escaped(serial))", as: DeviceDetail.self)
                if options.json { return printJSON(raw) }
                let d = detail.device
                print(L10n.field("Serial", "产品序号", d.serial))
                print(L10n.field("Brand/model", "品牌型号", "\(d.brand) \(d.model)"))
                print(L10n.field("Unit", "单位", d.unit))
                print(L10n.field("Keeper", "保管人", d.keeperBadge ?? "-"))
                print(L10n.field("Status", "状态", d.placeholder ? L10n.text("unregistered placeholder", zh: "未登记（占位）") : d.status))
                print(L10n.text("Handovers:", zh: "交接记录："))
                printHandovers(detail.handovers)
                print(L10n.text("Dockings (clock offset: camera minus station):", zh: "下载记录（时钟偏差：设备减工作站）："))
                for docking in detail.dockings {
                    print("  dump \(docking.dumpID)  \(Format.time(docking.dockedAt))  " + (docking.clockOffsetSeconds.map { String(format: "%+.0f s", $0) } ?? "-")
                          + (docking.clockBasis.map { "  (\($0))" } ?? ""))
                }
            }
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retire a device (a new revision; nothing is deleted).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Product serial.") var serial: String
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/devices/\(escaped(serial))/retire", [String: String](), as: DeviceItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("device \(item.serial) retired", zh: "设备 \(item.serial) 已报废"))
            }
        }
    }

    struct Checkout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a device handed to an officer.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Product serial.") var serial: String
        @Option(help: "Badge of the officer taking it.") var officer: String
        @Option(help: "When (station time, e.g. \"2026-11-27 08:30\"); default now.") var at: String?
        @Flag(help: "Off-site or continuous duty: the upload deadline starts at check-in.") var offsite = false
        @Option(help: "Note.") var note: String = ""
        func run() async throws {
            try await perform {
                let request = CheckoutRequest(badge: officer, at: at, offsite: offsite, note: note)
                let (item, raw) = try await options.client.post("/v1/devices/\(escaped(serial))/checkout", request, as: HandoverItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("handover \(item.id): \(item.serial) to \(item.badge) at \(Format.time(item.checkedOutAt))",
                                zh: "交接 \(item.id)：设备 \(item.serial) 于 \(Format.time(item.checkedOutAt)) 交予 \(item.badge)"))
            }
        }
    }

    struct Checkin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a device handed back.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Product serial.") var serial: String
        @Option(help: "When (station time); default now.") var at: String?
        func run() async throws {
            try await perform {
                let (item, raw) = try await options.client.post("/v1/devices/\(escaped(serial))/checkin", CheckinRequest(at: at), as: HandoverItem.self)
                if options.json { return printJSON(raw) }
                print(L10n.text("\(item.serial) checked in from \(item.badge) at \(Format.time(item.checkedInAt))",
                                zh: "设备 \(item.serial) 已于 \(Format.time(item.checkedInAt)) 由 \(item.badge) 归还"))
            }
        }
    }
}

struct Handovers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Handovers of devices to officers.",
                                                    subcommands: [List.self, LedgerImport<HandoversTable>.self, LedgerExport<HandoversTable>.self])
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List handovers.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this device.") var device: String?
        func run() async throws {
            try await perform {
                let path = "/v1/handovers" + (device.map { "?device=\(escaped($0))" } ?? "")
                let (items, raw) = try await options.client.get(path, as: [HandoverItem].self)
                if options.json { return printJSON(raw) }
                printHandovers(items)
            }
        }
    }
}
