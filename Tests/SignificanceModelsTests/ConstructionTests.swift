import Foundation
import SignificanceModels
import Testing

@Suite("Construction and coding")
struct ConstructionTests {
    @Test("make(kind:parameters:) rebuilds every non-mixture case from its named parameters", arguments: DistributionCase.all.filter { $0.distribution.kind != "mixture" })
    func makeFromNames(_ testCase: DistributionCase) throws {
        let distribution = testCase.distribution
        var parameters: [String: Double] = [:]
        for name in distribution.parameterNames { parameters[name] = try distribution.value(of: name) }
        #expect(try Distribution.make(kind: distribution.kind, parameters: parameters) == distribution)
        #expect(Distribution.kinds.contains(distribution.kind))
    }

    @Test("models and drifts survive a JSON round trip")
    func jsonRoundTrip() throws {
        let distribution = Distribution.mixture([
            MixtureComponent(weight: 1, distribution: .pareto(shape: 3, scale: 1)),
            MixtureComponent(weight: 2, distribution: DistributionCase.mixture),
        ])
        let drifts = [
            ParameterDrift(parameter: "weights.0", drift: .ramp(to: 2, startStep: 3, endStep: 9)),
            ParameterDrift(parameter: "components.0.shape", drift: .randomWalk(stepSigma: 0.1, seed: 7)),
            ParameterDrift(parameter: "components.0.scale", drift: .exponentialDecay(to: 0.5, rate: 0.01)),
        ]
        let encoder = JSONEncoder(), decoder = JSONDecoder()
        #expect(try decoder.decode(Distribution.self, from: encoder.encode(distribution)) == distribution)
        #expect(try decoder.decode([ParameterDrift].self, from: encoder.encode(drifts)) == drifts)
    }
}
