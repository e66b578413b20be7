import CNumerics

/// A complex number, as a pole.
public struct Pole: Sendable, Equatable, Codable {
    public var real: Double
    public var imaginary: Double
    public var modulus: Double { (real * real + imaginary * imaginary).squareRoot() }

    /// A pole at `real + i·imaginary`.
    /// - Parameters:
    ///   - real: The real part.
    ///   - imaginary: The imaginary part.
    public init(real: Double, imaginary: Double) {
        self.real = real
        self.imaginary = imaginary
    }
}

/// Eigenvalues of a small real non-symmetric matrix with GSL's `gsl_eigen_nonsymm`.
public enum Eigenvalues {
    /// A failure inside GSL (the QR iteration did not converge).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var status: Int32
        public var description: String { "gsl_eigen_nonsymm failed with status \(status)" }
    }

    /// - Parameters:
    ///   - entries: Row-major matrix.
    ///   - dimension: Its size.
    /// - Returns: The eigenvalues, largest modulus first.
    public static func of(_ entries: [Double], dimension: Int) throws(Failure) -> [Pole] {
        GSLErrorHandling.disableAbort()
        guard let matrix = gsl_matrix_alloc(dimension, dimension),
              let values = gsl_vector_complex_alloc(dimension),
              let workspace = gsl_eigen_nonsymm_alloc(dimension) else {
            throw Failure(status: Int32(GSL_ENOMEM))
        }
        defer {
            gsl_matrix_free(matrix)
            gsl_vector_complex_free(values)
            gsl_eigen_nonsymm_free(workspace)
        }
        for row in 0..<dimension {
            for column in 0..<dimension { gsl_matrix_set(matrix, row, column, entries[row * dimension + column]) }
        }
        let status = gsl_eigen_nonsymm(matrix, values, workspace)
        guard status == Int32(GSL_SUCCESS) else { throw Failure(status: status) }
        var poles: [Pole] = []
        for index in 0..<dimension {
            let value = gsl_vector_complex_get(values, index)
            poles.append(Pole(real: value.dat.0, imaginary: value.dat.1))
        }
        return poles.sorted { $0.modulus > $1.modulus }
    }
}

/// Switches GSL's abort-on-error handler off once per process.
enum GSLErrorHandling {
    private static let disabled: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    static func disableAbort() { _ = disabled }
}
