import Foundation

/// Gaussian kernel density and empirical quantiles over sorted samples.
package enum KernelDensity {
    /// Silverman's rule: `0.9·min(sd, IQR/1.34)·n^(−1/5)`.
    package static func silvermanBandwidth(sortedSamples samples: [Double]) -> Double {
        let count = Double(samples.count)
        guard samples.count > 1 else { return 1 }
        let mean = samples.reduce(0, +) / count
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        let iqr = upperQuantile(sortedSamples: samples, probability: 0.25) - upperQuantile(sortedSamples: samples, probability: 0.75)
        let spread = min(variance.squareRoot(), iqr > 0 ? iqr / 1.34 : variance.squareRoot())
        return max(1e-12, 0.9 * spread * pow(count, -0.2))
    }

    /// `f̂(x) = (1/(n h)) Σ φ((x − sᵢ)/h)`, summing only samples within 8 h (the rest add < 1e-14).
    package static func density(at x: Double, sortedSamples samples: [Double], bandwidth: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let reach = 8 * bandwidth
        var index = lowerIndex(samples, x - reach)
        var sum = 0.0
        while index < samples.count && samples[index] <= x + reach {
            let u = (x - samples[index]) / bandwidth
            sum += exp(-0.5 * u * u)
            index += 1
        }
        return sum / (Double(samples.count) * bandwidth * (2 * Double.pi).squareRoot())
    }

    /// The value exceeded by a fraction `probability` of the samples: the sample at rank
    /// `⌈(1 − p)·n⌉` (1-based) of the ascending order, so that at most `p·n` exceed it.
    package static func upperQuantile(sortedSamples samples: [Double], probability: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let rank = Int((Double(samples.count) * (1 - probability)).rounded(.up))
        return samples[min(samples.count - 1, max(0, rank - 1))]
    }

    static func lowerIndex(_ samples: [Double], _ value: Double) -> Int {
        var low = 0, high = samples.count
        while low < high {
            let middle = (low + high) >> 1
            if samples[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
