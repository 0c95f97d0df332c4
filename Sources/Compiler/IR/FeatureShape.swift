/// The shape of one feature map, height x width x channels, stored HWC (channels innermost).
/// A fully connected layer's input of `batch` vectors of N features is the feature map
/// `1 x batch x N`, so every layer maps onto the same convolution machinery.
public struct FeatureShape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    public var elementCount: Int { height * width * channels }
    /// `HxWxC`, as the command line writes it.
    public var description: String { "\(height)x\(width)x\(channels)" }
    public var dimensions: [Int] { [height, width, channels] }
}

/// Zero (or zero-point) padding on each side of a feature map, in pixels.
public struct Padding: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var top: Int, bottom: Int, left: Int, right: Int

    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top
        self.bottom = bottom
        self.left = left
        self.right = right
    }

    /// The same padding on every side.
    public init(_ all: Int) { self.init(top: all, bottom: all, left: all, right: all) }

    public static let zero = Padding(0)

    public var description: String {
        top == bottom && top == left && top == right ? "\(top)" : "\(top),\(bottom),\(left),\(right)"
    }
}
