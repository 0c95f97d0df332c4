import Foundation

/// A SCALE-Sim topology CSV: a list of independent layers, timing only (no weights, no edges
/// between layers), read as `scalesim/topology_utils.py` reads it.
///
/// The form is recognized from the header row:
///
///     conv:  Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
///     GEMM:  Layer name, M, N, K,
///
/// Conv form (`load_arrays_conv`): the IFMAP sizes are already padded (SCALE-Sim adds no
/// padding); one stride serves both directions; the output is
/// `ceil((ifmap - filter + stride) / stride)` per side (`topo_calc_hyperparams`). A layer whose
/// name contains `DP` is depthwise: SCALE-Sim runs it as `Channels` layers of one channel each,
/// named `<name>Channel_<i>`, each with the row's `Num Filter`. A ninth column, SCALE-Sim's
/// sparsity ratio `N:M`, must be dense (N = M) when given; columns after it are ignored.
///
/// GEMM form (`load_arrays_gemm`): `C[M, N] = A[M, K] * B[K, N]` becomes SCALE-Sim's conv entry
/// `[M, K, 1, K, 1, N, 1]`: an M x K ifmap of one channel, N filters of 1 x K, stride 1, so the
/// output is M x 1 pixels of N channels and the window is K.
///
/// Rows may end with SCALE-Sim's trailing comma or not; blank rows are skipped. Each bad row
/// throws one error naming the file and line.
public struct ScaleSimTopology: Equatable, Sendable {
    /// The two forms of topology file.
    public enum Form: String, Equatable, Sendable {
        case conv, gemm
    }

    /// One layer as SCALE-Sim holds it (`topo_arrays` entry), in its conv terms.
    public struct Layer: Equatable, Sendable {
        public var name: String
        /// IFMAP height and width in pixels (already padded).
        public var ifmapHeight: Int
        public var ifmapWidth: Int
        public var filterHeight: Int
        public var filterWidth: Int
        public var channels: Int
        public var filters: Int
        public var strideHeight: Int
        public var strideWidth: Int

        public init(name: String, ifmapHeight: Int, ifmapWidth: Int, filterHeight: Int, filterWidth: Int,
                    channels: Int, filters: Int, stride: Int) {
            self.name = name
            self.ifmapHeight = ifmapHeight
            self.ifmapWidth = ifmapWidth
            self.filterHeight = filterHeight
            self.filterWidth = filterWidth
            self.channels = channels
            self.filters = filters
            strideHeight = stride
            strideWidth = stride
        }

        /// Output rows: `ceil((ifmap_h - filt_h + stride_h) / stride_h)` (`topo_calc_hyperparams`).
        public var ofmapHeight: Int { (ifmapHeight - filterHeight + strideHeight + strideHeight - 1) / strideHeight }
        /// Output columns, likewise.
        public var ofmapWidth: Int { (ifmapWidth - filterWidth + strideWidth + strideWidth - 1) / strideWidth }
        /// Output pixels of one filter (SCALE-Sim's `num_ofmap / num_filt`; the GEMM form's M).
        public var outputPixels: Int { ofmapHeight * ofmapWidth }
        /// The dot-product length `filt_h * filt_w * num_ch` (`window_size`; the GEMM form's K).
        public var window: Int { filterHeight * filterWidth * channels }
        /// Multiply-accumulates: `ofmap_h * ofmap_w * filt_h * filt_w * num_ch * num_filt` (`num_mac`).
        public var macs: Int { outputPixels * window * filters }
    }

    public var form: Form
    /// The layers in file order, depthwise rows expanded.
    public var layers: [Layer]
    /// The rows of a depthwise (`DP`) layer before expansion, by the expanded layers' index
    /// range, so the default mapping can run each as one depthwise convolution.
    public var depthwiseRows: [DepthwiseRow]

    /// A `DP` row and the expanded layers it became.
    public struct DepthwiseRow: Equatable, Sendable {
        public var row: Layer
        public var layers: Range<Int>
    }

    /// Parses the text of a topology CSV; `file` names it in errors.
    public init(parsing text: String, file: String) throws(CompilerError) {
        let lines = text.components(separatedBy: .newlines)
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw .invalidInput(file: file, line: 0, "empty topology file")
        }
        let header = Self.fields(lines[headerIndex]).map { $0.lowercased() }
        if header.count >= 8 && header[1] == "ifmap height" {
            form = .conv
        } else if header.count >= 4 && Array(header[1...3]) == ["m", "n", "k"] {
            form = .gemm
        } else {
            throw .invalidInput(file: file, line: headerIndex + 1,
                                "unrecognized header: expected 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides' (conv) or 'Layer name, M, N, K' (GEMM)")
        }
        layers = []
        depthwiseRows = []
        for index in (headerIndex + 1)..<lines.count {
            let fields = Self.fields(lines[index])
            if fields.allSatisfy(\.isEmpty) { continue }
            let lineNumber = index + 1
            let needed = form == .conv ? 8 : 4
            guard fields.count >= needed else {
                throw .invalidInput(file: file, line: lineNumber, "expected \(needed) columns, got \(fields.count)")
            }
            var numbers: [Int] = []
            for (column, text) in fields[1..<needed].enumerated() {
                guard let value = Int(text), value > 0 else {
                    throw .invalidInput(file: file, line: lineNumber, "column \(column + 2) ('\(text)') must be a positive integer")
                }
                numbers.append(value)
            }
            if form == .conv, fields.count > 8, !fields[8].isEmpty {
                let ratio = fields[8].split(separator: ":").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard ratio.count == 2, let n = ratio[0], let m = ratio[1], n == m else {
                    throw .invalidInput(file: file, line: lineNumber, "sparsity ratio '\(fields[8])' is not supported (only dense N:N)")
                }
            }
            let name = fields[0]
            let layer = form == .conv
                ? Layer(name: name, ifmapHeight: numbers[0], ifmapWidth: numbers[1], filterHeight: numbers[2],
                        filterWidth: numbers[3], channels: numbers[4], filters: numbers[5], stride: numbers[6])
                : Layer(name: name, ifmapHeight: numbers[0], ifmapWidth: numbers[2], filterHeight: 1,
                        filterWidth: numbers[2], channels: 1, filters: numbers[1], stride: 1)
            // SCALE-Sim's `append_topo_arrays` asserts these ("ISSUE #9 Fix").
            guard layer.filterHeight <= layer.ifmapHeight, layer.filterWidth <= layer.ifmapWidth else {
                throw .invalidInput(file: file, line: lineNumber, "filter \(layer.filterHeight)x\(layer.filterWidth) is larger than the IFMAP \(layer.ifmapHeight)x\(layer.ifmapWidth)")
            }
            if form == .conv && name.contains("DP") {
                let start = layers.count
                for channel in 0..<layer.channels {
                    var single = layer
                    single.name = name + "Channel_\(channel)"
                    single.channels = 1
                    layers.append(single)
                }
                depthwiseRows.append(DepthwiseRow(row: layer, layers: start..<layers.count))
            } else {
                layers.append(layer)
            }
        }
        guard !layers.isEmpty else { throw .invalidInput(file: file, line: 0, "no layers after the header") }
    }

    /// Reads and parses the topology CSV at `path`.
    public static func load(path: String) throws(CompilerError) -> ScaleSimTopology {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidInput(file: path, line: 0, "cannot read the file")
        }
        return try ScaleSimTopology(parsing: String(decoding: data, as: UTF8.self), file: path)
    }

    /// The trimmed fields of one row, without the empty field after a trailing comma.
    private static func fields(_ line: String) -> [String] {
        var fields = line.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if fields.count > 1, fields.last == "" { fields.removeLast() }
        return fields
    }
}
