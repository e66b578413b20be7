/// The data sets the trainer can load.
public enum DatasetKind: String, CaseIterable, Sendable {
    /// Zalando's Fashion-MNIST: 60 000 + 10 000 grey 28×28 images, IDX format.
    case fashionMNIST = "fashion-mnist"
    /// CIFAR-10, binary version: 50 000 + 10 000 colour 32×32 images.
    case cifar10

    /// The name used in messages.
    public var displayName: String {
        switch self {
        case .fashionMNIST: "Fashion-MNIST"
        case .cifar10: "CIFAR-10"
        }
    }

    /// How to obtain the files, for error messages.
    var installationHint: String {
        switch self {
        case .fashionMNIST:
            "Install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist), "
                + "which puts them in \(DatasetLoader.defaultFashionMNISTDirectory), or pass --data-dir "
                + "naming a directory that holds them (gzip-compressed or not)."
        case .cifar10:
            "Download the binary version (cifar-10-binary.tar.gz) from "
                + "https://www.cs.toronto.edu/~kriz/cifar.html, extract it and pass --data-dir "
                + "naming the extracted cifar-10-batches-bin directory."
        }
    }
}

/// A training split and a test split, both normalised with the training split's statistics.
public struct Dataset: Sendable {
    /// The data set's name (`DatasetKind.rawValue`).
    public var name: String
    /// The training split.
    public var train: LabeledImages
    /// The test split.
    public var test: LabeledImages
    /// Per-channel mean of the (limited) training pixels scaled to `[0, 1]`.
    public var channelMean: [Float]
    /// Per-channel standard deviation (population, divide by N) of the same pixels.
    public var channelStd: [Float]

    /// - Parameters:
    ///   - name: The data set's name.
    ///   - train: The training split.
    ///   - test: The test split.
    ///   - channelMean: Per-channel mean used for normalisation.
    ///   - channelStd: Per-channel standard deviation used for normalisation.
    public init(name: String, train: LabeledImages, test: LabeledImages, channelMean: [Float], channelStd: [Float]) {
        self.name = name
        self.train = train
        self.test = test
        self.channelMean = channelMean
        self.channelStd = channelStd
    }
}
