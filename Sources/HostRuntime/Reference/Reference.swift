import ISA

/// The CPU reference: every operation the device computes, with exactly the device's numerics.
///
/// Integer results are bit-exact with the simulator because both call the arithmetic contract in
/// `ISA/Arithmetic.swift` (`Arithmetic`, `ElementwiseOperation`, `ElementCodec`, `PWLTable`); the
/// fp16 matrix mode sums in a fixed order, so it is bit-exact as well. Layouts are the device's:
/// feature maps `[H, W, C]` (channels innermost; batches `[N, H, W, C]`, NHWC), convolution weights `[R, S, C/G, K]` (output
/// channels innermost; G channel groups), matrices row-major. Invalid operands (mismatched
/// shapes or types, a window larger than its input) throw a `ReferenceError`; nothing here traps
/// on user input.
public enum Reference {
    /// Padding of a feature map's borders, in elements (pixels) per side.
    public struct Padding: Equatable, Sendable {
        public var top: Int, bottom: Int, left: Int, right: Int

        public init(top: Int = 0, bottom: Int = 0, left: Int = 0, right: Int = 0) {
            self.top = top
            self.bottom = bottom
            self.left = left
            self.right = right
        }

        /// The same padding on all four sides.
        public init(all: Int) { self.init(top: all, bottom: all, left: all, right: all) }
    }

    /// The largest tensor (in elements) a reference kernel produces or pads to; beyond it the
    /// operands are rejected rather than exhausting memory.
    public static let maximumElements = 1 << 26

    /// Work (multiply-accumulates) above which the matrix kernels spread over all cores.
    static let parallelWorkThreshold = 1 << 20

    /// The element count of `shape`, checked against overflow and `maximumElements`.
    static func checkedElementCount(_ shape: [Int], _ operation: String) throws(ReferenceError) -> Int {
        var count = 1
        for extent in shape {
            guard extent >= 0 else { throw ReferenceError(operation, "negative extent in shape \(shape)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow, product <= maximumElements else {
                throw ReferenceError(operation, "shape \(shape) exceeds the limit of \(maximumElements) elements")
            }
            count = product
        }
        return count
    }

    /// Checks that `value` fits a signed 32-bit instruction field (immediates, requantization registers).
    static func requireInt32(_ value: Int64, _ name: String, _ operation: String) throws(ReferenceError) {
        guard Int64(Int32.min)...Int64(Int32.max) ~= value else {
            throw ReferenceError(operation, "\(name) \(value) does not fit 32 bits")
        }
    }

    /// Checks a fixed-point shift against the contract's range (`Arithmetic.roundingShiftRight`).
    static func requireShift(_ shift: Int, _ operation: String) throws(ReferenceError) {
        guard (0...62).contains(shift) else { throw ReferenceError(operation, "shift \(shift) is outside 0...62") }
    }

    /// The output extent of a window sliding over `extent` elements plus padding:
    /// `floor((extent + before + after - window) / stride) + 1`, where `window` is the window's
    /// reach (`dilation * (size - 1) + 1`). Throws if the window does not fit once.
    static func slidingExtent(_ extent: Int, before: Int, after: Int, window: Int, dilation: Int = 1, stride: Int,
                              axis: String, _ operation: String) throws(ReferenceError) -> Int {
        guard before >= 0, after >= 0 else { throw ReferenceError(operation, "negative padding") }
        guard window >= 1, stride >= 1, dilation >= 1 else {
            throw ReferenceError(operation, "window, stride and dilation must be at least 1")
        }
        let limit = maximumElements
        guard extent <= limit, before <= limit, after <= limit, window <= limit, dilation <= limit else {
            throw ReferenceError(operation, "\(axis) extent, padding or window beyond \(limit)")
        }
        let padded = extent + before + after
        let reach = dilation * (window - 1) + 1
        guard padded >= reach else {
            throw ReferenceError(operation, "the window reaches \(reach) \(axis) elements but the padded input has \(padded)")
        }
        return (padded - reach) / stride + 1
    }
}
