import ASTReport
import ASTSim
import Foundation
import PIControl

/// Writes sweep.csv, sweep.json and (for complete grids) heatmap.svg.
enum SweepWriters {
    static func write(points: [SweepPoint], manifest: SweepManifest, to directory: String) throws {
        try AtomicFile.write(SweepTable.render(points), to: directory + "/sweep.csv")
        try AtomicFile.writeJSON(manifest, to: directory + "/sweep.json")
        guard manifest.spec.shardCount == 1 else {
            // A shard has no heatmap: one left by an earlier whole-grid run here would not be this run's.
            OutputDirectory.removeStale(["heatmap.svg"], in: directory)
            return
        }
        // One heatmap per α layer: heatmap.svg for the first, heatmap-alpha-2.svg, ... for the others.
        let layers = manifest.spec.emaAlphas?.values.count ?? 1
        for layer in 0..<layers {
            try AtomicFile.write(heatmap(points: points, manifest: manifest, layer: layer).render(),
                                 to: directory + "/" + heatmapFileName(layer: layer))
        }
    }

    static func heatmapFileName(layer: Int) -> String { layer == 0 ? "heatmap.svg" : "heatmap-alpha-\(layer + 1).svg" }

    /// Mean settling time over (Kp, Ki) for one α layer, grey where a seed did not settle,
    /// with the analytic stability boundary drawn over it.
    /// - Parameters:
    ///   - points: The sweep's points.
    ///   - manifest: The sweep.
    ///   - layer: Which α (0 for the first, or the only one).
    static func heatmap(points: [SweepPoint], manifest: SweepManifest, layer: Int = 0) -> Heatmap {
        let spec = manifest.spec
        let kps = spec.proportionalGains.values, kis = spec.integralGains.values
        var values = Array(repeating: Array(repeating: Double.nan, count: kps.count), count: kis.count)
        let layerSize = kps.count * kis.count
        for point in points where point.index / layerSize == layer {
            let within = point.index % layerSize
            values[within / kps.count][within % kps.count] = point.settledAll ? (point.settlingTimeMean ?? .nan) : .nan
        }
        let alphas = spec.emaAlphas?.values ?? [spec.base.emaAlpha]
        let alpha = alphas[min(layer, alphas.count - 1)]
        var overlays: [ChartSeries] = []
        if let g = manifest.plantGain, g > 0 {
            let dense = GridAxis.denseValues(spec.proportionalGains, count: 120)
            let boundary = LoopAnalysis.stabilityBoundary(
                law: spec.base.law, emaAlpha: alpha, plantGain: g, proportionalGains: dense,
                integralRange: (spec.integralGains.lower * 0.5)...(spec.integralGains.upper * 2))
            overlays.append(ChartSeries(label: "analytic stability boundary", x: boundary.map(\.proportionalGain),
                                        y: boundary.map(\.integralGain), color: "#ff2020", width: 2.5, dashed: true))
        }
        return Heatmap(
            title: "\(spec.scenarioName): mean settling time (\(spec.base.law.name), α = \(String(format: "%.4g", alpha))"
                + (alphas.count > 1 ? ", layer \(layer + 1) of \(alphas.count): one file per α" : "") + "); red dashed = stability boundary",
            xLabel: "Kp", yLabel: "Ki", x: kps, y: kis, values: values,
            logX: spec.proportionalGains.logarithmic, logY: spec.integralGains.logarithmic,
            valueLabel: "settling time (batches)", overlays: overlays)
    }

    static func summary(_ points: [SweepPoint]) -> String {
        let settled = points.filter(\.settledAll)
        let agree = points.filter { point in point.predictedStable.map { $0 == point.settledAll } ?? false }.count
        var text = "settled on every seed: \(settled.count)/\(points.count) grid points; "
            + "analysis (stable) agrees with simulation (settled) on \(agree)/\(points.count)"
        if let best = settled.min(by: { ($0.settlingTimeMean ?? .infinity) < ($1.settlingTimeMean ?? .infinity) }) {
            text += "\nfastest settling: Kp \(String(format: "%.4g", best.proportionalGain)), Ki \(String(format: "%.4g", best.integralGain)), "
                + "α \(best.emaAlpha): \(NumberText.fixed(best.settlingTimeMean, 0)) steps, ss error \(NumberText.fixed(best.steadyStateErrorMean * 100, 2)) pt"
        }
        return text
    }
}

extension GridAxis {
    /// `count` values across the axis's span (log-spaced if the axis is), for smooth overlays.
    static func denseValues(_ axis: GridAxis, count: Int) -> [Double] {
        guard let dense = try? GridAxis(lower: axis.lower, upper: axis.upper, count: max(2, count), logarithmic: axis.logarithmic) else {
            return axis.values
        }
        return dense.values
    }
}
