/// The reference CNN of the ASTTrain catalog (ASTTrain.docc/ASTTrain.md), with valid
/// (unpadded) 5×5 convolutions:
///
/// conv 5×5 C→32, ReLU, max-pool 2; conv 5×5 32→64, ReLU, max-pool 2; flatten;
/// dense F→128, ReLU; dense 128→classes.
///
/// For 1×28×28 (Fashion-MNIST): 28→24→12→8→4, F = 64·4·4 = 1024. For 3×32×32 (CIFAR-10):
/// 32→28→14→10→5, F = 64·5·5 = 1600.
public enum FashionNet {
    /// Builds the network with He-initialised weights.
    /// - Parameters:
    ///   - inputShape: One sample's shape, e.g. 1×28×28 or 3×32×32 (at least 16×16).
    ///   - classCount: Classes (10).
    ///   - maximumBatchSize: The largest batch the buffers hold (128 by default).
    ///   - seed: Seed of the initial weights.
    /// - Returns: The network.
    public static func make(inputShape: TensorShape = TensorShape(channels: 1, height: 28, width: 28),
                            classCount: Int = 10, maximumBatchSize: Int = 128, seed: UInt64 = 1) -> Network {
        let batch = maximumBatchSize
        let conv1 = Convolution(name: "conv1", inputShape: inputShape, outputChannels: 32, kernelSize: 5,
                                maximumBatchSize: batch, computesInputGradient: false)
        let relu1 = ReLU(name: "relu1", shape: conv1.outputShape, maximumBatchSize: batch)
        let pool1 = MaxPooling(name: "pool1", inputShape: conv1.outputShape, maximumBatchSize: batch)
        let conv2 = Convolution(name: "conv2", inputShape: pool1.outputShape, outputChannels: 64, kernelSize: 5,
                                maximumBatchSize: batch)
        let relu2 = ReLU(name: "relu2", shape: conv2.outputShape, maximumBatchSize: batch)
        let pool2 = MaxPooling(name: "pool2", inputShape: conv2.outputShape, maximumBatchSize: batch)
        let flatten = Flatten(name: "flatten", inputShape: pool2.outputShape, maximumBatchSize: batch)
        let dense1 = Dense(name: "dense1", inputFeatures: flatten.outputShape.elementCount, outputFeatures: 128,
                           maximumBatchSize: batch)
        let relu3 = ReLU(name: "relu3", shape: dense1.outputShape, maximumBatchSize: batch)
        let dense2 = Dense(name: "dense2", inputFeatures: 128, outputFeatures: classCount, maximumBatchSize: batch)
        let network = Network(layers: [conv1, relu1, pool1, conv2, relu2, pool2, flatten, dense1, relu3, dense2],
                              classCount: classCount)
        network.initialiseWeights(seed: seed)
        return network
    }
}

extension FashionNet {
    /// The rows of the two probe networks behind ``estimatedBytes(inputShape:classCount:maximumBatchSize:)``.
    static let probeRows = (128, 256)

    /// Bytes of the buffers a FashionNet for `maximumBatchSize` rows holds, estimated without
    /// building it. Every buffer grows linearly with the rows once each convolution's block of
    /// samples is full (a block holds at most 72 samples for inputs of 16×16 or more), so two
    /// small probe networks, at 128 and 256 rows, give the line exactly:
    /// `bytes(B) = bytes(128) + (B − 128)·(bytes(256) − bytes(128))/128`.
    /// - Parameters:
    ///   - inputShape: One sample's shape (at least 16×16).
    ///   - classCount: Classes.
    ///   - maximumBatchSize: The rows.
    /// - Returns: The estimate and the bytes per row.
    package static func estimatedBytes(inputShape: TensorShape, classCount: Int,
                                       maximumBatchSize: Int) -> (bytes: Double, bytesPerRow: Double) {
        let (small, large) = probeRows
        let smallBytes = Double(heldBufferBytes(make(inputShape: inputShape, classCount: classCount, maximumBatchSize: small)))
        let largeBytes = Double(heldBufferBytes(make(inputShape: inputShape, classCount: classCount, maximumBatchSize: large)))
        let perRow = (largeBytes - smallBytes) / Double(large - small)
        return (smallBytes + Double(maximumBatchSize - small) * perRow, perRow)
    }
}
