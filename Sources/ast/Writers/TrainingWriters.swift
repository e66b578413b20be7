import ASTReport
import ASTSim
import ASTTrain
import Foundation

/// Writes a training run's epochs.csv, batches.csv, summary.json, training.svg and, when
/// recorded, scores.csv (the `batch,score` format `ast replay` reads).
enum TrainingWriters {
    static func write(epochs: [EpochMetrics], options: TrainingOptions, controllerName: String?, status: String, to directory: String) throws {
        try AtomicFile.write(epochsTable(epochs).render(), to: directory + "/epochs.csv")
        try AtomicFile.write(batchesTable(epochs).render(), to: directory + "/batches.csv")
        if epochs.contains(where: { $0.scores != nil }) {
            var text = "batch,score\n"
            for epoch in epochs {
                for record in epoch.scores ?? [] { text += "\(record.batch),\(NumberText.format(record.score))\n" }
            }
            try AtomicFile.write(text, to: directory + "/scores.csv")
        } else {
            // A reused folder must not keep an earlier run's scores beside this run's files.
            OutputDirectory.removeStale(["scores.csv"], in: directory)
        }
        struct Summary: Encodable {
            var status: String
            var options: TrainingOptions
            var controller: String?
            var epochs: Int
            var finalTestAccuracy: Double?
            var samplesForwarded: Int
            var samplesBackpropagated: Int
            var activationRate: Double
            var flops: Double
            var wallSeconds: Double
            var cpuSeconds: Double
        }
        let forwarded = epochs.reduce(0) { $0 + $1.samplesForwarded }
        let backpropagated = epochs.reduce(0) { $0 + $1.samplesBackpropagated }
        try AtomicFile.writeJSON(Summary(
            status: status, options: options, controller: controllerName, epochs: epochs.count,
            finalTestAccuracy: epochs.last?.testAccuracy, samplesForwarded: forwarded, samplesBackpropagated: backpropagated,
            activationRate: Double(backpropagated) / Double(max(1, forwarded)),
            flops: epochs.reduce(0) { $0 + $1.operations.total }, wallSeconds: epochs.reduce(0) { $0 + $1.seconds.total },
            cpuSeconds: epochs.reduce(0) { $0 + $1.cpuSeconds }), to: directory + "/summary.json")
        if !epochs.isEmpty {
            try AtomicFile.write(SVGRenderer.render(charts(runs: [(options.policy.rawValue, epochs)], target: options.targetRate)),
                                 to: directory + "/training.svg")
        }
    }

    static func epochsTable(_ epochs: [EpochMetrics]) -> CSVTable {
        var table = CSVTable(header: [
            "epoch", "train_loss", "test_loss", "test_accuracy", "activation_rate", "threshold_mean", "samples_forwarded",
            "samples_backpropagated", "samples_refreshed", "flops_forward", "flops_backward", "flops_update", "flops_total", "seconds_forward",
            "seconds_select", "seconds_backward", "seconds_update", "seconds_total", "cpu_seconds", "evaluation_seconds",
        ])
        for epoch in epochs {
            table.append([
                String(epoch.epoch + 1), NumberText.format(epoch.trainLoss), NumberText.format(epoch.testLoss),
                NumberText.format(epoch.testAccuracy), NumberText.format(epoch.activationRate), NumberText.format(epoch.thresholdMean),
                String(epoch.samplesForwarded), String(epoch.samplesBackpropagated), String(epoch.samplesRefreshed),
                NumberText.format(epoch.operations.forward),
                NumberText.format(epoch.operations.backward), NumberText.format(epoch.operations.update),
                NumberText.format(epoch.operations.total), NumberText.format(epoch.seconds.forward),
                NumberText.format(epoch.seconds.select), NumberText.format(epoch.seconds.backward),
                NumberText.format(epoch.seconds.update), NumberText.format(epoch.seconds.total),
                NumberText.format(epoch.cpuSeconds), NumberText.format(epoch.evaluationSeconds),
            ])
        }
        return table
    }

    static func batchesTable(_ epochs: [EpochMetrics]) -> CSVTable {
        var table = CSVTable(header: ["epoch", "batch", "kind", "threshold", "selected", "batch_size", "rate", "ema", "loss"])
        for epoch in epochs {
            for (index, batch) in epoch.batches.enumerated() {
                table.append([
                    String(epoch.epoch + 1), String(index), batch.kind.rawValue, NumberText.format(batch.threshold), String(batch.selected),
                    String(batch.batchSize), NumberText.format(batch.rate), NumberText.format(batch.ema), NumberText.format(batch.loss),
                ])
            }
        }
        return table
    }

    /// One run's panels: test accuracy and losses per epoch, and for controlled policies the
    /// per-batch back-propagated share with its moving average, and the threshold.
    static func charts(runs: [(name: String, epochs: [EpochMetrics])], target: Double) -> [LineChart] {
        let colours = TraceCharts.colours
        var accuracy: [ChartSeries] = [], losses: [ChartSeries] = [], rate: [ChartSeries] = [], threshold: [ChartSeries] = []
        for (index, run) in runs.enumerated() {
            let colour = colours[index % colours.count]
            let epochs = run.epochs.map { Double($0.epoch + 1) }
            accuracy.append(ChartSeries(label: run.name, x: epochs, y: run.epochs.map { $0.testAccuracy * 100 }, color: colour, markers: true))
            losses.append(ChartSeries(label: run.name + " train", x: epochs, y: run.epochs.map(\.trainLoss), color: colour, markers: true))
            losses.append(ChartSeries(label: run.name + " test", x: epochs, y: run.epochs.map(\.testLoss), color: colour, dashed: true, markers: true))
            let batches = run.epochs.flatMap(\.batches).filter { $0.kind == .train }
            if batches.contains(where: { $0.threshold != nil }) || run.epochs.contains(where: { $0.streamSteps != nil }) {
                rate.append(contentsOf: activationSeries(name: run.name, epochs: run.epochs, colour: colour))
                let steps = (0..<batches.count).map(Double.init)
                threshold.append(ChartSeries(label: run.name, x: steps, y: batches.map { $0.threshold ?? .nan }, color: colour))
            }
        }
        var charts = [
            LineChart(title: "test accuracy per epoch", xLabel: "epoch", yLabel: "accuracy (%)", series: accuracy, integerXTicks: true),
            LineChart(title: "loss per epoch (solid: training, dashed: test)", xLabel: "epoch", yLabel: "cross-entropy", series: losses,
                      integerXTicks: true),
        ]
        if !rate.isEmpty {
            charts.append(LineChart(title: "back-propagated share per controller step (dots) and its 50-step moving average (line)",
                                    xLabel: "controller step", yLabel: "share", series: rate,
                                    bands: [ChartBand(label: "target ± 1 point", lower: target - 0.01, upper: target + 0.01, color: "#2ca02c")]))
        }
        if !threshold.isEmpty {
            charts.append(LineChart(title: "gating threshold per batch", xLabel: "batch", yLabel: "threshold", series: threshold))
        }
        return charts
    }

    /// Per-step share (dots) and its moving average (line) of a controlled run: the batches of
    /// `ast`, the stream steps of `ast-stale`.
    static func activationSeries(name: String, epochs: [EpochMetrics], colour: String) -> [ChartSeries] {
        var shares: [Double] = []
        for epoch in epochs {
            if let stream = epoch.streamSteps {
                shares += stream.map { Double($0.selected) / Double(max(1, $0.count)) }
            } else {
                shares += epoch.batches.filter { $0.kind == .train }.map(\.rate)
            }
        }
        let steps = (0..<shares.count).map(Double.init)
        return [
            ChartSeries(label: "", x: steps, y: shares, color: colour, showsLine: false),
            ChartSeries(label: name, x: steps, y: TraceMetrics.movingAverage(shares, window: 50), color: colour, width: 2),
        ]
    }

    /// The comparison's panels: accuracy against training seconds and against epochs (mean over
    /// seeds with a min–max band), and the controlled policies' activation.
    static func comparisonCharts(_ report: ComparisonReport) -> [LineChart] {
        let colours = TraceCharts.colours
        var bySeconds: [ChartSeries] = [], byEpoch: [ChartSeries] = []
        var secondsAreas: [ChartArea] = [], epochAreas: [ChartArea] = []
        var activation: [ChartSeries] = []
        let target = report.runs.first?.result.options.targetRate ?? 0.1
        for (index, summary) in report.summaries.enumerated() {
            let colour = colours[index % colours.count]
            let runs = report.runs.filter { $0.policy == summary.policy }
            let curves = runs.map { $0.result.epochs.flatMap(\.curve) }
            let length = curves.map(\.count).min() ?? 0
            guard length > 0 else { continue }
            func column(_ key: (CurvePoint) -> Double) -> [[Double]] { (0..<length).map { i in curves.map { key($0[i]) } } }
            let seconds = column(\.trainSeconds).map { $0.reduce(0, +) / Double($0.count) }
            let epochs = column(\.epoch).map { $0.reduce(0, +) / Double($0.count) }
            let accuracies = column { $0.accuracy * 100 }
            let mean = accuracies.map { $0.reduce(0, +) / Double($0.count) }
            bySeconds.append(ChartSeries(label: summary.policy.rawValue, x: seconds, y: mean, color: colour, markers: length < 40))
            byEpoch.append(ChartSeries(label: summary.policy.rawValue, x: epochs, y: mean, color: colour, markers: length < 40))
            if runs.count > 1 {
                secondsAreas.append(ChartArea(x: seconds, lower: accuracies.map { $0.min()! }, upper: accuracies.map { $0.max()! }, color: colour))
                epochAreas.append(ChartArea(x: epochs, lower: accuracies.map { $0.min()! }, upper: accuracies.map { $0.max()! }, color: colour))
            }
            if summary.policy.usesController, let first = runs.first {
                activation.append(contentsOf: activationSeries(name: summary.policy.rawValue, epochs: first.result.epochs, colour: colour))
            }
        }
        var charts = [
            LineChart(title: "accuracy against training seconds (the payoff)", xLabel: "training seconds (evaluation excluded)",
                      yLabel: "curve accuracy (%)", series: bySeconds, areas: secondsAreas),
            LineChart(title: "accuracy against epochs", xLabel: "epoch", yLabel: "curve accuracy (%)", series: byEpoch, areas: epochAreas,
                      integerXTicks: true),
        ]
        if !activation.isEmpty {
            charts.append(LineChart(title: "controlled policies: back-propagated share per controller step (dots) and 50-step moving average",
                                    xLabel: "controller step", yLabel: "share", series: activation,
                                    bands: [ChartBand(label: "target ± 1 point", lower: target - 0.01, upper: target + 0.01, color: "#2ca02c")]))
        }
        return charts
    }
}
