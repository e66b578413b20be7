import ArgumentParser
import ASTSim
import PIControl

/// The one valid range of a target activation rate, for every command: (0, 1), the range
/// ``ControllerConfiguration`` accepts (a target of 1 would ask every sample through, which is
/// `--policy full`, not a controller's job).
enum TargetRate {
    static func check(_ target: Double, flag: String) throws {
        guard target > 0, target < 1 else { throw ValidationError("\(flag) must be in (0, 1), got \(target)") }
    }
}

/// `--preset NAME | --gains FILE`, shared by the commands that run a controller.
struct ControllerOptions: ParsableArguments {
    @Option(help: "Controller preset (see `ast presets`).")
    var preset: String?

    @Option(help: "Gains file written by `ast tune`.")
    var gains: String?

    func validate() throws {
        if preset != nil && gains != nil { throw ValidationError("give either --preset or --gains, not both") }
        if let preset { _ = try Preset.named(preset) }
    }

    /// Whether either option was given.
    var isGiven: Bool { preset != nil || gains != nil }

    /// The chosen controller at `target`, with a display name; `nil` when neither option was given.
    func controller(target: Double) throws -> (name: String, configuration: ControllerConfiguration)? {
        if let preset {
            return (preset, try Preset.named(preset).configuration(target: target))
        }
        if let gains {
            let file = try GainsFile.load(path: gains)
            return (file.configuration.law.name + "(gains)", try file.configuration(target: target))
        }
        return nil
    }
}
