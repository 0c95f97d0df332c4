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
///
/// A layer with a batch of N images (`Layer.batch`) reads and writes N such views, one per
/// containing image, `imageStride` elements apart: element (n, y, x, c) of the layer's
/// `N x H x W x C` map is at byte
/// `address + (n * imageStride + ((y * s + phaseY) * W * s + x * s + phaseX) * channels + channelOffset + c) * elementBytes`.
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
    /// Elements between the first elements of consecutive images of the containing tensor (NHWC
    /// batches); `nil`: one whole containing image, `(H * pixelStep) * (W * pixelStep) * channels`
    /// for the layer's `H x W` map, so the images are packed back to back. A larger stride places
    /// each image inside a larger per-image region (e.g. a batch-major tensor of several maps).
    public var imageStride: Int?

    public init(address: Int, channels: Int? = nil, channelOffset: Int = 0, pixelStep: Int = 1, phaseY: Int = 0, phaseX: Int = 0,
                imageStride: Int? = nil) {
        self.address = address
        self.channels = channels
        self.channelOffset = channelOffset
        self.pixelStep = pixelStep
        self.phaseY = phaseY
        self.phaseX = phaseX
        self.imageStride = imageStride
    }

    /// Channels between consecutive pixels for a map of `own` channels.
    func pixelStride(own: Int) -> Int { channels ?? own }

    /// Elements of one containing image around a layer map of `shape` (spatial size times `pixelStep`).
    func containingImageElements(_ shape: FeatureShape) -> Int {
        (shape.height * pixelStep).times(shape.width * pixelStep).times(pixelStride(own: shape.channels))
    }

    /// Elements between consecutive images for a layer map of `shape`.
    func imageStride(_ shape: FeatureShape) -> Int { imageStride ?? containingImageElements(shape) }

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
