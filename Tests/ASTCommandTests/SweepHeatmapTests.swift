import Foundation
import Testing
@testable import ast

/// The sweep's heatmaps: one per α layer, a colour bar with five ticks.
@Suite struct SweepHeatmapTests {
    @Test func everyAlphaLayerGetsItsHeatmap() throws {
        let directory = NSTemporaryDirectory() + "ast-heatmap-\(UUID().uuidString)"
        let scenario = OutputFileTests.root.appendingPathComponent("Scenarios/01-stationary-lognormal.yaml").path
        try SweepCommand.parse([scenario, "--preset", "velocityPI", "--kp", "0.2:2:3", "--ki", "0.1:1:3",
                                "--alpha", "0.3:0.9:2", "--seeds", "1", "--out", directory]).run()
        let first = try String(contentsOfFile: directory + "/heatmap.svg", encoding: .utf8)
        let second = try String(contentsOfFile: directory + "/heatmap-alpha-2.svg", encoding: .utf8)
        #expect(first.contains("α = 0.3, layer 1 of 2") && second.contains("α = 0.9, layer 2 of 2"))
        #expect(first.components(separatedBy: "font-size=\"10\">").count - 1 >= 5 + 3 + 3, "5 colour-bar ticks plus the axis labels")
        #expect(!FileManager.default.fileExists(atPath: directory + "/heatmap-alpha-3.svg"))
    }
}
