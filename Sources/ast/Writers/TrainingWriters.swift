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
            "samples_backpropagated", "flops_forward", "flops_backward", "flops_update", "flops_total", "seconds_forward",
            "seconds_select", "seconds_backward", "seconds_update", "seconds_total", "cpu_seconds", "evaluation_seconds",
        ])
        for epoch in epochs {
            table.append([
                String(epoch.epoch + 1), NumberText.format(epoch.trainLoss), NumberText.format(epoch.testLoss),
                NumberText.format(epoch.testAccuracy), NumberText.format(epoch.activationRate), NumberText.format(epoch.thresholdMean),
                String(epoch.samplesForwarded), String(epoch.samplesBackpropagated), NumberText.format(epoch.operations.forward),
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
        var table = CSVTable(header: ["epoch", "batch", "threshold", "selected", "batch_size", "rate", "ema", "loss"])
        for epoch in epochs {
            for (index, batch) in epoch.batches.enumerated() {
                table.append([
                    String(epoch.epoch + 1), String(index), NumberText.format(batch.threshold), String(batch.selected),
                    String(batch.batchSize), NumberText.format(batch.rate), NumberText.format(batch.ema), NumberText.format(batch.loss),
                ])
            }
        }
        return table
    }

    /// Test accuracy per epoch; activation rate (50-batch moving average) and threshold per batch.
    static func charts(runs: [(name: String, epochs: [EpochMetrics])], target: Double) -> [LineChart] {
        let colours = TraceCharts.colours
        var accuracy: [ChartSeries] = [], rate: [ChartSeries] = [], threshold: [ChartSeries] = []
        for (index, run) in runs.enumerated() {
            let colour = colours[index % colours.count]
            accuracy.append(ChartSeries(label: run.name, x: run.epochs.map { Double($0.epoch + 1) },
                                        y: run.epochs.map { $0.testAccuracy * 100 }, color: colour))
            let batches = run.epochs.flatMap(\.batches)
            let steps = (0..<batches.count).map(Double.init)
            rate.append(ChartSeries(label: run.name, x: steps, y: TraceMetrics.movingAverage(batches.map(\.rate), window: 50), color: colour))
            if batches.contains(where: { $0.threshold != nil }) {
                threshold.append(ChartSeries(label: run.name, x: steps, y: batches.map { $0.threshold ?? .nan }, color: colour))
            }
        }
        var charts = [
            LineChart(title: "test accuracy", xLabel: "epoch", yLabel: "accuracy (%)", series: accuracy),
            LineChart(title: "activation rate (50-batch moving average)", xLabel: "batch", yLabel: "rate", series: rate,
                      bands: [ChartBand(label: "target", lower: target - 0.005, upper: target + 0.005, color: "#2ca02c")]),
        ]
        if !threshold.isEmpty {
            charts.append(LineChart(title: "threshold", xLabel: "batch", yLabel: "threshold", series: threshold))
        }
        return charts
    }
}
