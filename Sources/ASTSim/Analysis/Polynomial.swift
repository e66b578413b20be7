import Foundation

/// A complex number for frequency responses (`z = e^{jω}`) and poles.
public struct Complex: Sendable, Equatable, Codable {
    public var real: Double
    public var imaginary: Double

    /// - Parameters:
    ///   - real: Real part.
    ///   - imaginary: Imaginary part.
    public init(_ real: Double, _ imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    /// `e^{jω}`, a point of the unit circle.
    public static func unit(angle: Double) -> Complex { Complex(cos(angle), sin(angle)) }

    public var modulus: Double { hypot(real, imaginary) }
    /// The argument in (−π, π].
    public var argument: Double { atan2(imaginary, real) }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.real + b.real, a.imaginary + b.imaginary) }
    static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.real * b.real - a.imaginary * b.imaginary, a.real * b.imaginary + a.imaginary * b.real)
    }
    static func / (a: Complex, b: Complex) -> Complex {
        let scale = b.real * b.real + b.imaginary * b.imaginary
        return Complex((a.real * b.real + a.imaginary * b.imaginary) / scale, (a.imaginary * b.real - a.real * b.imaginary) / scale)
    }
}

/// A real polynomial, coefficients from the highest power down (the numpy / python-control order).
public struct Polynomial: Sendable, Equatable, Codable {
    /// `c₀ zⁿ + c₁ zⁿ⁻¹ + … + cₙ`.
    public var coefficients: [Double]

    /// - Parameter coefficients: Highest power first.
    public init(_ coefficients: [Double]) { self.coefficients = coefficients.isEmpty ? [0] : coefficients }

    /// `z − root`.
    public static func monic(root: Double) -> Polynomial { Polynomial([1, -root]) }

    public var degree: Int { coefficients.count - 1 }

    /// Horner's rule at a complex point.
    public func callAsFunction(_ z: Complex) -> Complex {
        var value = Complex(0)
        for coefficient in coefficients { value = value * z + Complex(coefficient) }
        return value
    }

    static func * (a: Polynomial, b: Polynomial) -> Polynomial {
        var product = [Double](repeating: 0, count: a.coefficients.count + b.coefficients.count - 1)
        for (i, x) in a.coefficients.enumerated() {
            for (j, y) in b.coefficients.enumerated() { product[i + j] += x * y }
        }
        return Polynomial(product)
    }

    static func * (a: Double, b: Polynomial) -> Polynomial { Polynomial(b.coefficients.map { a * $0 }) }

    static func + (a: Polynomial, b: Polynomial) -> Polynomial {
        let count = max(a.coefficients.count, b.coefficients.count)
        var sum = [Double](repeating: 0, count: count)
        for (i, x) in a.coefficients.enumerated() { sum[count - a.coefficients.count + i] += x }
        for (i, x) in b.coefficients.enumerated() { sum[count - b.coefficients.count + i] += x }
        return Polynomial(sum)
    }

    /// The roots, largest modulus first: eigenvalues of the companion matrix (GSL).
    public func roots() throws(Eigenvalues.Failure) -> [Pole] {
        var leading = 0
        while leading < coefficients.count - 1 && coefficients[leading] == 0 { leading += 1 }
        let c = Array(coefficients[leading...])
        let n = c.count - 1
        guard n > 0 else { return [] }
        var companion = [Double](repeating: 0, count: n * n)
        for column in 0..<n { companion[column] = -c[column + 1] / c[0] }
        for row in 1..<n { companion[row * n + row - 1] = 1 }
        return try Eigenvalues.of(companion, dimension: n)
    }
}
