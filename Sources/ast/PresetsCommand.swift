import ArgumentParser
import Foundation
import PIControl

struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the controller presets and their parameters."
    )

    @Option(help: "Target activation rate the presets are instantiated with.")
    var target: Double = 0.1

    @Flag(help: "Print machine-readable JSON keyed by preset name, with the configuration's field names.")
    var json = false

    func validate() throws {
        try TargetRate.check(target, flag: "--target")
    }

    func run() throws {
        let configurations = try Preset.allCases.map { ($0, try $0.configuration(target: target)) }
        if json {
            var object: [String: ControllerConfiguration] = [:]
            for (preset, configuration) in configurations { object[preset.rawValue] = configuration }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(object), as: UTF8.self))
            return
        }
        let rows = configurations.map { preset, config in PresetTable.row(preset: preset, configuration: config) }
        print(TextTable(header: PresetTable.header, rows: rows).render())
        print("")
        for preset in Preset.allCases { print("  \(preset.rawValue): \(preset.summary)") }
    }
}
