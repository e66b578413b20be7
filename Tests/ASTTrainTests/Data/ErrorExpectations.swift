import Testing
@testable import ASTTrain

/// The error thrown by loading `kind` from `directory`, or `nil` if loading succeeded.
func loadingError(
    _ directory: String?, kind: DatasetKind = .fashionMNIST, trainLimit: Int? = nil, testLimit: Int? = nil
) -> DatasetError? {
    do {
        _ = try DatasetLoader.load(kind, directory: directory, trainLimit: trainLimit, testLimit: testLimit)
        return nil
    } catch {
        return error
    }
}

/// Expects an error whose message contains every fragment.
func expectMessage(_ error: DatasetError?, contains fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error else {
        Issue.record("expected a DatasetError, loading succeeded", sourceLocation: sourceLocation)
        return
    }
    for fragment in fragments {
        #expect(error.description.contains(fragment), "\(error.description) lacks \(fragment)", sourceLocation: sourceLocation)
    }
}
