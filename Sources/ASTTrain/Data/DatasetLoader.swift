/// Entry point for loading a data set by kind.
public enum DatasetLoader {
    /// Where Debian's `dataset-fashion-mnist` package installs the Fashion-MNIST IDX files.
    public static let defaultFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// Loads, validates and normalises a data set.
    ///
    /// Fashion-MNIST: `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
    /// `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each gzip-compressed with a `.gz`
    /// suffix (preferred when both exist) or uncompressed. CIFAR-10: the binary batches
    /// `data_batch_1.bin` … `data_batch_5.bin` (all five required) and `test_batch.bin`.
    ///
    /// Whole files are validated (sizes, counts, every label) even when limits keep only a
    /// prefix. Both splits are normalised per channel with the mean and standard deviation of
    /// the kept training samples.
    ///
    /// - Parameters:
    ///   - kind: Which data set.
    ///   - directory: The directory holding the files; `nil` means
    ///     ``defaultFashionMNISTDirectory`` for Fashion-MNIST and is an error for CIFAR-10,
    ///     which has no standard location.
    ///   - trainLimit: Use only the first N training samples (`nil` = all; more than the file
    ///     holds = all); must be at least 1.
    ///   - testLimit: Use only the first N test samples, likewise.
    /// - Returns: The training and test splits with the normalisation statistics.
    /// - Throws: ``DatasetError`` naming the file and the problem.
    public static func load(_ kind: DatasetKind, directory: String?, trainLimit: Int?, testLimit: Int?) throws(DatasetError) -> Dataset {
        if let trainLimit, trainLimit < 1 {
            throw DatasetError(path: directory ?? "", problem: .invalidLimit(name: "training-sample limit", value: trainLimit))
        }
        if let testLimit, testLimit < 1 {
            throw DatasetError(path: directory ?? "", problem: .invalidLimit(name: "test-sample limit", value: testLimit))
        }
        switch kind {
        case .fashionMNIST:
            return try FashionMNISTLoader.load(
                directory: directory ?? defaultFashionMNISTDirectory, trainLimit: trainLimit, testLimit: testLimit)
        case .cifar10:
            guard let directory else {
                throw DatasetError(path: "", problem: .noDirectoryGiven(kind: .cifar10, expected: CIFAR10Loader.expectedNames))
            }
            return try CIFAR10Loader.load(directory: directory, trainLimit: trainLimit, testLimit: testLimit)
        }
    }

    /// `directory/name`, without doubling a trailing slash.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
