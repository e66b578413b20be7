import Testing
import Foundation
@testable import ASTTrain

@Suite("The installed Fashion-MNIST")
struct RealFashionMNISTTests {
    /// Loads the Debian package's files with a training limit of 1000.
    ///
    /// The first training label, read independently:
    /// `python3 -c "import gzip; print(gzip.open('/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz').read()[8])"`
    /// prints 9 (ankle boot); the next labels are 0 0 3 0 2 7 2 5 5.
    @Test("shape 1×28×28, 10 classes, known first labels",
          .enabled(if: DataFileReader.exists(DatasetLoader.defaultFashionMNISTDirectory + "/train-labels-idx1-ubyte.gz")))
    func loadsInstalledFiles() throws {
        let dataset = try DatasetLoader.load(.fashionMNIST, directory: nil, trainLimit: 1000, testLimit: 100)
        #expect(dataset.train.count == 1000 && dataset.test.count == 100)
        #expect(dataset.train.channels == 1 && dataset.train.height == 28 && dataset.train.width == 28)
        #expect(dataset.test.channels == 1 && dataset.test.height == 28 && dataset.test.width == 28)
        #expect(dataset.train.classCount == 10 && dataset.train.images.count == 1000 * 784)
        #expect(dataset.train.labels[0] == 9)
        #expect(Array(dataset.train.labels.prefix(10)) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect(Set(dataset.train.labels) == Set(0 ..< 10))
        // Fashion-MNIST's pixel statistics are near mean 0.29, std 0.35 (computed, not assumed).
        #expect(dataset.channelMean[0] > 0.2 && dataset.channelMean[0] < 0.4)
        #expect(dataset.channelStd[0] > 0.25 && dataset.channelStd[0] < 0.45)
    }
}

/// Loads all 70 000 installed images and prints the wall-clock time; opt-in because it is only
/// meaningful in release:
/// `AST_TIME_FULL_LOAD=1 swift test -c release -Xswiftc -enable-testing --filter RealFashionMNISTTiming`
@Suite("Full Fashion-MNIST load time")
struct RealFashionMNISTTiming {
    @Test("all 60 000 + 10 000 samples",
          .enabled(if: Environment.flag("AST_TIME_FULL_LOAD")
              && DataFileReader.exists(DatasetLoader.defaultFashionMNISTDirectory + "/train-images-idx3-ubyte.gz")))
    func fullLoad() throws {
        let clock = ContinuousClock()
        let cpuStart = threadCPUSeconds()
        var dataset: Dataset?
        let elapsed = try clock.measure {
            dataset = try DatasetLoader.load(.fashionMNIST, directory: nil, trainLimit: nil, testLimit: nil)
        }
        let cpu = threadCPUSeconds() - cpuStart
        #expect(dataset?.train.count == 60_000 && dataset?.test.count == 10_000)
        print("full Fashion-MNIST load: wall \(elapsed), CPU \(cpu) s; mean \(dataset!.channelMean), std \(dataset!.channelStd)")
    }

    /// CPU time of the calling thread (the loader is single-threaded), which, unlike wall
    /// time, does not grow when other processes share the cores.
    func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

enum Environment {
    static func flag(_ name: String) -> Bool {
        ProcessInfo.processInfo.environment[name].map { !$0.isEmpty && $0 != "0" } ?? false
    }
}
