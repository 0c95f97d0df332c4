import ISA

/// Batches of feature maps: the window kernels (`conv2d`, `pool`) take one `[H, W, C]` map or an
/// NHWC batch `[N, H, W, C]` of them, which they process image by image (as the device does: no
/// window crosses from one image into the next, and each image has its own padding).
extension Reference {
    /// `kernel` applied to a `[H, W, C]` input as it is, or to each image of an `[N, H, W, C]`
    /// input (N >= 1) with the results stacked along a new leading axis: `[N] + kernel's shape`.
    /// Any other rank is rejected, naming `operation`.
    static func forEachImage(_ input: Tensor, _ operation: String,
                             _ kernel: (Tensor) throws(ReferenceError) -> Tensor) throws(ReferenceError) -> Tensor {
        switch input.shape.count {
        case 3: return try kernel(input)
        case 4: break
        default: throw ReferenceError(operation, "input must be [H, W, C] or [N, H, W, C], got \(input.description)")
        }
        let images = input.shape[0], imageShape = Array(input.shape.dropFirst())
        guard images >= 1 else { throw ReferenceError(operation, "the batch \(input.description) has no image") }
        let imageBytes = input.bytes.count / images
        var results: [UInt8] = [], resultShape: [Int] = [], resultType = input.type
        for image in 0..<images {
            let start = image * imageBytes
            let result = try kernel(Tensor(shape: imageShape, type: input.type, bytes: Array(input.bytes[start..<(start + imageBytes)])))
            if image == 0 {
                _ = try checkedElementCount([images] + result.shape, operation)
                (resultShape, resultType) = (result.shape, result.type)
                results.reserveCapacity(images * result.bytes.count)
            }
            results.append(contentsOf: result.bytes)
        }
        return Tensor(shape: [images] + resultShape, type: resultType, bytes: results)
    }
}
