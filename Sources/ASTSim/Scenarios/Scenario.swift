import PIControl
import SignificanceModels

/// A controller under test in a scenario, with what must hold for it.
public struct ScenarioController: Sendable {
    /// A label: the preset name, the gains file name, or a given name.
    public var name: String
    public var configuration: ControllerConfiguration
    public var expectations: [Expectation]

    /// A controller of a scenario, with its expectations.
    /// - Parameters:
    ///   - name: A label: the preset name, the gains file name, or a given name.
    ///   - configuration: The controller.
    ///   - expectations: The bounds its run must meet.
    public init(name: String, configuration: ControllerConfiguration, expectations: [Expectation] = []) {
        self.name = name
        self.configuration = configuration
        self.expectations = expectations
    }
}

/// A simulation set-up: where scores come from, how they are batched, what the controllers
/// must achieve. See `Scenarios/README.md` for the file format.
public struct Scenario: Sendable {
    public var name: String
    public var summary: String
    /// The file it was read from, if any.
    public var file: String?
    public var scores: ScoreSource
    public var batchSize: Int
    public var steps: Int
    public var metrics: MetricSettings
    public var seeds: [UInt64]
    public var controllers: [ScenarioController]
    /// What loading changed or left out that a reader should be told (e.g. a recorded trace's
    /// batches of another size); commands print these.
    public var notes: [String] = []

    /// A scenario built in code (files go through ``ScenarioLoader``).
    /// - Parameters:
    ///   - name: The scenario's name.
    ///   - summary: One line on what it tests.
    ///   - file: The file it was loaded from, `nil` when built in code.
    ///   - scores: Where each batch's scores come from.
    ///   - batchSize: Scores per batch.
    ///   - steps: Batches per run.
    ///   - metrics: How the run's metrics are computed.
    ///   - seeds: The score-stream seeds, one run each.
    ///   - controllers: The controllers to run.
    public init(name: String, summary: String = "", file: String? = nil, scores: ScoreSource, batchSize: Int,
                steps: Int, metrics: MetricSettings, seeds: [UInt64], controllers: [ScenarioController]) {
        self.name = name
        self.summary = summary
        self.file = file
        self.scores = scores
        self.batchSize = batchSize
        self.steps = steps
        self.metrics = metrics
        self.seeds = seeds
        self.controllers = controllers
    }

    public var target: Double { metrics.target }
}
