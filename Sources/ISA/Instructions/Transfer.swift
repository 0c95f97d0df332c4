/// A DMA transfer between DRAM and an on-chip buffer (`load`, `store`).
///
/// The DRAM side is a 3-D strided box of `zSize x ySize x xSize` elements: element (z, y, x) is
/// at `dramAddress + (z * zStride + y * yStride + x) * type.byteSize`. The buffer side is dense:
/// the box, grown by the padding on each side, is written (or read) contiguously from
/// `bufferAddress` in z, y, x order. Loads generate the padding themselves, filled with
/// `padValue` (converted to `type`), so convolution borders need no padded copy in DRAM
/// (as VTA's load does in two dimensions; here in three). Stores have no padding.
///
/// A stride of 0 means "packed": `yStride = xSize`, `zStride = ySize * yStride`.
public struct Transfer: Equatable, Sendable {
    public var buffer: BufferID = .nbin
    public var type: ElementType = .int8
    /// Byte address in DRAM.
    public var dramAddress = 0
    /// Byte address in the buffer.
    public var bufferAddress = 0
    public var xSize = 1, ySize = 1, zSize = 1
    /// Elements between consecutive rows / planes in DRAM (0 = packed).
    public var yStride = 0, zStride = 0
    public var xPadBefore = 0, xPadAfter = 0
    public var yPadBefore = 0, yPadAfter = 0
    public var zPadBefore = 0, zPadAfter = 0
    /// Value written into padding, converted to `type` by the arithmetic contract.
    public var padValue = 0

    public init() {}

    /// DRAM elements between rows, with "packed" resolved.
    public var effectiveYStride: Int { yStride == 0 ? xSize : yStride }
    /// DRAM elements between planes, with "packed" resolved.
    public var effectiveZStride: Int { zStride == 0 ? ySize * effectiveYStride : zStride }
    /// Padded extents of the dense box in the buffer.
    public var paddedX: Int { xPadBefore + xSize + xPadAfter }
    public var paddedY: Int { yPadBefore + ySize + yPadAfter }
    public var paddedZ: Int { zPadBefore + zSize + zPadAfter }
    /// Bytes occupied in the buffer, padding included.
    public var bufferBytes: Int { paddedX * paddedY * paddedZ * type.byteSize }
    /// Bytes of payload moved over DRAM (before burst rounding).
    public var payloadBytes: Int { xSize * ySize * zSize * type.byteSize }
    /// One past the last DRAM byte touched.
    public var dramEnd: Int {
        dramAddress + ((zSize - 1) * effectiveZStride + (ySize - 1) * effectiveYStride + xSize) * type.byteSize
    }
}
