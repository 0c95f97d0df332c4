/// Reads and writes typed elements in raw little-endian memory (DRAM images, buffers, tensors).
///
/// Integer values travel as `Int64`, float values as `Float`; writes narrow by the arithmetic
/// contract (saturation for integers, round-to-nearest-even for floats).
public enum ElementCodec {
    /// Reads an integer element; float elements are converted with `Arithmetic.integer(from:as:)`.
    @inlinable
    public static func loadInteger(_ pointer: UnsafeRawPointer, _ type: ElementType) -> Int64 {
        switch type {
        case .int8: Int64(pointer.load(as: Int8.self))
        case .uint8: Int64(pointer.load(as: UInt8.self))
        case .int16: Int64(Int16(littleEndian: pointer.loadUnaligned(as: Int16.self)))
        case .int32: Int64(Int32(littleEndian: pointer.loadUnaligned(as: Int32.self)))
        case .fp16, .fp32: Arithmetic.integer(from: loadFloat(pointer, type), as: .int32)
        }
    }

    /// Reads an element as fp32 (integers convert exactly up to 2^24).
    @inlinable
    public static func loadFloat(_ pointer: UnsafeRawPointer, _ type: ElementType) -> Float {
        switch type {
        case .fp16: Float(Float16(bitPattern: UInt16(littleEndian: pointer.loadUnaligned(as: UInt16.self))))
        case .fp32: Float(bitPattern: UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self)))
        default: Float(loadInteger(pointer, type))
        }
    }

    /// Writes an integer value, saturated to `type` (or converted, for float types).
    @inlinable
    public static func store(integer value: Int64, to pointer: UnsafeMutableRawPointer, _ type: ElementType) {
        switch type {
        case .int8: pointer.storeBytes(of: Int8(Arithmetic.saturate(value, to: type)), as: Int8.self)
        case .uint8: pointer.storeBytes(of: UInt8(Arithmetic.saturate(value, to: type)), as: UInt8.self)
        case .int16: pointer.storeBytes(of: Int16(Arithmetic.saturate(value, to: type)).littleEndian, toByteOffset: 0, as: Int16.self)
        case .int32: pointer.storeBytes(of: Int32(Arithmetic.saturate(value, to: type)).littleEndian, toByteOffset: 0, as: Int32.self)
        case .fp16, .fp32: store(float: Float(value), to: pointer, type)
        }
    }

    /// Writes a float value, rounded to `type` (integers: round half to even, then saturate).
    @inlinable
    public static func store(float value: Float, to pointer: UnsafeMutableRawPointer, _ type: ElementType) {
        switch type {
        case .fp16: pointer.storeBytes(of: Float16(value).bitPattern.littleEndian, toByteOffset: 0, as: UInt16.self)
        case .fp32: pointer.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 0, as: UInt32.self)
        default: store(integer: Arithmetic.integer(from: value, as: type), to: pointer, type)
        }
    }
}
