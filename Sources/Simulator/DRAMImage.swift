import ISA

/// The contents of the device's DRAM: byte-addressable, zero wherever nothing was written.
///
/// Storage grows on demand (to the highest byte written or accessed by a simulated DMA), never
/// beyond `capacityBytes`, so a 4 GiB device holding a 1 MiB model costs about 1 MiB of memory.
/// Two images are equal when every byte reads the same (trailing zeros do not matter).
public struct DRAMImage: Equatable, Sendable {
    /// The largest address + 1 the image can hold.
    public let capacityBytes: Int
    /// Bytes `0 ..< storage.count`; everything above reads as zero.
    var storage: [UInt8] = []

    /// An image holding `segments`. Bytes of a segment that lie outside `0 ..< capacityBytes`
    /// are not stored; use `init(capacityBytes:checking:)` to be told about them instead.
    public init(capacityBytes: Int, segments: [DataSegment] = []) {
        self.capacityBytes = max(0, capacityBytes)
        let capacity = self.capacityBytes
        for segment in segments where segment.address < capacity && !segment.bytes.isEmpty {
            let address = segment.address, count = segment.bytes.count
            let start = max(address, 0)
            let end = address >= 0 ? address + min(count, capacity - address) : min(address + count, capacity)
            guard start < end else { continue }
            try? write(Array(segment.bytes[(start - address)..<(end - address)]), at: start)
        }
    }

    /// An image holding `segments`, throwing if any segment does not fit the capacity.
    public init(capacityBytes: Int, checking segments: [DataSegment]) throws(SimulationError) {
        self.init(capacityBytes: capacityBytes)
        for segment in segments { try write(segment.bytes, at: segment.address) }
    }

    /// Bytes of storage currently allocated (the highest byte touched + 1).
    public var storedBytes: Int { storage.count }

    /// Writes `bytes` at byte address `address`.
    public mutating func write(_ bytes: [UInt8], at address: Int) throws(SimulationError) {
        try check(address, bytes.count)
        guard !bytes.isEmpty else { return }
        reserve(upTo: address + bytes.count)
        storage.replaceSubrange(address..<(address + bytes.count), with: bytes)
    }

    /// Reads `count` bytes at byte address `address`.
    public func read(_ count: Int, at address: Int) throws(SimulationError) -> [UInt8] {
        try check(address, count)
        var result = [UInt8](repeating: 0, count: count)
        let stored = min(address + count, storage.count) - address
        if stored > 0 { result.replaceSubrange(0..<stored, with: storage[address..<(address + stored)]) }
        return result
    }

    private func check(_ address: Int, _ count: Int) throws(SimulationError) {
        guard address >= 0, count >= 0, address <= capacityBytes - count else {
            throw .dramAccessOutOfRange(address: address, count: count, capacityBytes: capacityBytes)
        }
    }

    /// Grows the storage (with zeros) to at least `end` bytes; `end` must be within the capacity.
    mutating func reserve(upTo end: Int) {
        if end > storage.count { storage.append(contentsOf: repeatElement(0, count: end - storage.count)) }
    }

    public static func == (lhs: DRAMImage, rhs: DRAMImage) -> Bool {
        guard lhs.capacityBytes == rhs.capacityBytes else { return false }
        let common = min(lhs.storage.count, rhs.storage.count)
        return lhs.storage[..<common] == rhs.storage[..<common]
            && lhs.storage[common...].allSatisfy { $0 == 0 } && rhs.storage[common...].allSatisfy { $0 == 0 }
    }
}
