import ISA

/// Compares a tensor computed by the device with the reference's, bit for bit: same shape, same
/// element type, same bytes. For integer types this is the only meaningful comparison (both
/// sides follow one arithmetic contract); for float types it holds too, because the reference
/// fixes the device's summation order.
public enum Checker {
    /// `nil` when `device` and `reference` are identical; otherwise what differs, naming the
    /// first differing element by its multi-dimensional index, e.g. `Y[0,3,5]: device 17, reference 18`.
    public static func compare(name: String, device: Tensor, reference: Tensor) -> Mismatch? {
        guard device.type == reference.type else {
            return Mismatch(name: name, kind: .type(device: device.type, reference: reference.type))
        }
        guard device.shape == reference.shape else {
            return Mismatch(name: name, kind: .shape(device: device.shape, reference: reference.shape))
        }
        guard device.bytes != reference.bytes else { return nil }
        let size = device.type.byteSize
        var first: Int?
        var count = 0
        device.withUnsafeBytes { a in
            reference.withUnsafeBytes { b in
                var lastCounted = -1
                for byte in 0..<a.count where a[byte] != b[byte] && byte / size != lastCounted {
                    lastCounted = byte / size
                    first = first ?? lastCounted
                    count += 1
                }
            }
        }
        let index = first ?? 0
        return Mismatch(name: name, kind: .values(
            index: device.index(ofFlatIndex: index),
            device: elementText(device, index, other: reference), reference: elementText(reference, index, other: device),
            count: count, total: device.elementCount))
    }

    /// An element as text: the integer, or the float value, with its bit pattern when the two
    /// sides' values print the same (two different NaNs, say).
    static func elementText(_ tensor: Tensor, _ index: Int, other: Tensor) -> String {
        guard tensor.type.isFloatingPoint else { return String(tensor.integer(at: index)) }
        func text(_ value: Float) -> String { value.isNaN ? "nan" : "\(value)" }
        let value = text(tensor.float(at: index))
        guard value == text(other.float(at: index)) else { return value }
        let bits = tensor.withUnsafeBytes { bytes in
            (0..<tensor.type.byteSize).reversed().map { bytes[index * tensor.type.byteSize + $0] }
        }
        return value + " (0x" + bits.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + ")"
    }
}
