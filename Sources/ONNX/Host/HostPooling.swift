extension HostKernels {
    /// AveragePool and MaxPool on `[N, C, H, W]`, in every form ONNX defines: `kernel_shape`,
    /// `strides`, `dilations`, `pads` or `auto_pad`, `ceil_mode`, and for AveragePool
    /// `count_include_pad`.
    ///
    /// Output size per axis, with the padded size `n + head + tail` and the dilated window
    /// `d * (k - 1) + 1`: `(padded - window) / s + 1`, rounded down, or up in ceil mode where a
    /// last window that would start past the input and its head padding is dropped (as
    /// onnxruntime computes it). `auto_pad` SAME pads `(ceil(n / s) - 1) * s + window - n` (the
    /// odd one at the end for SAME_UPPER, the start for SAME_LOWER). An average divides by the
    /// window's input elements, or with `count_include_pad` also its padding positions (not what
    /// hangs past the padding in ceil mode); a maximum takes the input elements only.
    static func pool(_ context: NodeContext, _ operands: HostOperands) throws(ImportError) -> HostKernel {
        let dims = try operands.dims(0)
        guard dims.count == 4 else {
            throw context.unsupported("input of shape \(ShapeMapping.text(dims)); the host pools [N, C, H, W]")
        }
        func pair(_ name: String, default value: Int) throws(ImportError) -> [Int] {
            let values = try context.ints(name) ?? [value, value]
            guard values.count == 2, values.allSatisfy({ $0 > 0 }) else {
                throw context.unsupported("\(name) \(ShapeMapping.text(values)); the host pools with two positive values (H, W)")
            }
            return values
        }
        guard context.node.attribute("kernel_shape") != nil else { throw context.invalid("needs the attribute 'kernel_shape'") }
        let kernel = try pair("kernel_shape", default: 1), strides = try pair("strides", default: 1)
        let dilations = try pair("dilations", default: 1)
        let ceilMode = try context.int("ceil_mode", default: 0) != 0
        let isMax = context.opType == "MaxPool"
        let includePad = try context.int("count_include_pad", default: 0) != 0 && !isMax
        let autoPad = try context.string("auto_pad", default: "NOTSET")
        var pads = try context.ints("pads") ?? [0, 0, 0, 0]
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 }) else {
            throw context.invalid("pads \(ShapeMapping.text(pads)) are not 4 values >= 0")
        }
        var output = Array(dims[..<2])
        for axis in 0..<2 {
            let size = dims[axis + 2], stride = strides[axis], window = dilations[axis] * (kernel[axis] - 1) + 1
            switch autoPad {
            case "NOTSET": break
            case "VALID": (pads[axis], pads[axis + 2]) = (0, 0)
            case "SAME_UPPER", "SAME_LOWER":
                let needed = max(0, ((size + stride - 1) / stride - 1) * stride + window - size)
                let head = autoPad == "SAME_UPPER" ? needed / 2 : (needed + 1) / 2
                (pads[axis], pads[axis + 2]) = (head, needed - head)
            default: throw context.invalid("auto_pad '\(autoPad)'; ONNX defines NOTSET, VALID, SAME_UPPER and SAME_LOWER")
            }
            guard pads[axis] < kernel[axis], pads[axis + 2] < kernel[axis] else {
                throw context.invalid("pads \(ShapeMapping.text(pads)) must be smaller than the kernel \(ShapeMapping.text(kernel))")
            }
            let span = size + pads[axis] + pads[axis + 2] - window
            guard span >= 0 else { throw context.invalid("the window \(window) is larger than the padded input (\(span + window))") }
            var count = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
            if ceilMode && (count - 1) * stride >= size + pads[axis] { count -= 1 }
            output.append(count)
        }
        let detail = "kernel \(ShapeMapping.text(kernel)), strides \(ShapeMapping.text(strides)), "
            + "dilations \(ShapeMapping.text(dilations)), pads \(ShapeMapping.text(pads)), ceil_mode \(ceilMode ? 1 : 0)"
            + (isMax ? "" : ", count_include_pad \(includePad ? 1 : 0)")
        let (height, width) = (dims[2], dims[3])
        return HostKernel(outputDims: output, detail: detail) { [output, pads] values in
            let input = values[0]
            var result: [Float] = []
            result.reserveCapacity(RowMajor.count(output))
            for plane in 0..<(dims[0] * dims[1]) {
                for oy in 0..<output[2] {
                    for ox in 0..<output[3] {
                        var sum: Float = 0, largest = -Float.infinity, counted = 0
                        for ky in 0..<kernel[0] {
                            let y = oy * strides[0] - pads[0] + ky * dilations[0]
                            for kx in 0..<kernel[1] {
                                let x = ox * strides[1] - pads[1] + kx * dilations[1]
                                if y >= 0 && y < height && x >= 0 && x < width {
                                    let value = input[(plane * height + y) * width + x]
                                    (sum, largest, counted) = (sum + value, max(largest, value), counted + 1)
                                } else if includePad && y >= -pads[0] && y < height + pads[2] && x >= -pads[1] && x < width + pads[3] {
                                    counted += 1
                                }
                            }
                        }
                        result.append(isMax ? largest : counted == 0 ? 0 : sum / Float(counted))
                    }
                }
            }
            return result
        }
    }
}
