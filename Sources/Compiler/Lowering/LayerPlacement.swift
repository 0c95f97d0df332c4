import ISA

/// Where a feature map of a layer lives in DRAM: inside a containing `H x W x channels` tensor
/// (HWC, channels innermost) at `channelOffset`. Element (y, x, c) of the layer's own
/// `H x W x C` map is at byte `address + ((y * W + x) * channels + channelOffset + c) * elementBytes`.
///
/// With a `pixelStep` s > 1 the layer's map is one output phase of a containing
/// `(H * s) x (W * s)` tensor: element (y, x, c) goes to containing pixel
/// `(y * s + phaseY, x * s + phaseX)` (a transposed convolution's sub-pixel phases, each an
/// ordinary convolution writing every s-th pixel).
///
/// A view with `channels == C` and offset 0 is a dense tensor. A wider containing tensor lets a
/// layer write its output straight into a channel slice of a concatenation (Inception, DenseNet:
/// the store DMA writes its `K` channels with a row stride of `channels` elements, so no copy is
/// needed), or read its input from one.
public struct TensorPlacement: Equatable, Hashable, Sendable {
    /// Byte address of the containing tensor's first element.
    public var address: Int
    /// Channels of the containing tensor (elements between consecutive pixels); `nil`: the
    /// layer's own channel count (dense).
    public var channels: Int?
    /// First channel of the layer's map inside the containing tensor.
    public var channelOffset: Int
    /// Containing-tensor pixels between consecutive pixels of the layer's map, in both
    /// directions (1: the map is the whole spatial extent).
    public var pixelStep: Int
    /// The containing pixel of the map's pixel (0, 0) is `(phaseY, phaseX)`; each below `pixelStep`.
    public var phaseY: Int, phaseX: Int

    public init(address: Int, channels: Int? = nil, channelOffset: Int = 0, pixelStep: Int = 1, phaseY: Int = 0, phaseX: Int = 0) {
        self.address = address
        self.channels = channels
        self.channelOffset = channelOffset
        self.pixelStep = pixelStep
        self.phaseY = phaseY
        self.phaseX = phaseX
    }

    /// Channels between consecutive pixels for a map of `own` channels.
    func pixelStride(own: Int) -> Int { channels ?? own }

    /// Whether the view covers a whole dense tensor of `own` channels.
    func isDense(own: Int) -> Bool { pixelStride(own: own) == own && channelOffset == 0 && pixelStep == 1 }
}

/// Where the layer compiler places a layer's tensors in DRAM: its input and output maps (each a
/// possibly strided view, see `TensorPlacement`) and its constants (weights, output-stage
/// records, PWL table), laid out consecutively from `constants`, each burst-aligned.
///
/// The default (`LayerCompiler.compile` without a placement) packs input, output and constants
/// from address 0 in that order.
public struct LayerPlacement: Equatable, Sendable {
    public var input: TensorPlacement
    public var output: TensorPlacement
    /// Byte address of the first constant.
    public var constants: Int

    public init(input: TensorPlacement, output: TensorPlacement, constants: Int) {
        self.input = input
        self.output = output
        self.constants = constants
    }
}
