/// Building blocks shared by several zoo models.
extension FeatureMap {
    /// Convolution without bias, batch norm, ReLU: torchvision's `BasicConv2d` (GoogLeNet,
    /// Inception-v3; batch norm epsilon 1e-3 there) and the usual ResNet / MobileNet unit.
    func convBNReLU(_ filters: Int, kernel: Int, stride: Int = 1, pad: Int = 0, epsilon: Double = 1e-5) -> FeatureMap {
        conv(filters, kernel: kernel, stride: stride, pad: pad, bias: false).bn(epsilon: epsilon).relu()
    }

    /// The rectangular form of `convBNReLU` (Inception-v3's factorized 1xN and Nx1 convolutions).
    func convBNReLU(_ filters: Int, kernelHeight: Int, kernelWidth: Int, padY: Int = 0, padX: Int = 0,
                    epsilon: Double = 1e-5) -> FeatureMap {
        conv(filters, kernelHeight: kernelHeight, kernelWidth: kernelWidth, padY: padY, padX: padX, bias: false)
            .bn(epsilon: epsilon).relu()
    }
}
