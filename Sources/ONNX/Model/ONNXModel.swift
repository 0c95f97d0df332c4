import Foundation

/// An ONNX model (`ModelProto`) as torch.onnx.export and other exporters write it, decoded from
/// the protobuf file: its graph with every initializer's values read, and its metadata. This is
/// the input of the importer into NPUSim's graph IR.
///
/// Decoding validates the whole file: any malformed, invalid or unsupported content throws an
/// `ONNXError` naming where it lies (never a crash), and a model whose default-domain opset is
/// outside `supportedOpsets` is rejected before its graph is decoded.
public struct ONNXModel: Equatable, Sendable {
    /// The default-domain opset versions whose operator semantics the toolchain follows.
    public static let supportedOpsets: ClosedRange<Int64> = 11...21

    /// The ONNX IR version the file declares (3...10 for the files this decoder is written for).
    public var irVersion: Int64
    /// The operator sets the model imports.
    public var opsetImports: [ONNXOperatorSetID]
    /// The version of the default ONNX domain's operators, within `supportedOpsets`.
    public var opsetVersion: Int64
    /// The tool that wrote the model ("pytorch", ...).
    public var producerName: String
    /// The version of the tool that wrote the model.
    public var producerVersion: String
    /// The model's namespace (reverse-DNS by convention).
    public var domain: String
    /// The model's own version number.
    public var modelVersion: Int64
    /// Documentation from the model.
    public var docString: String
    /// The main graph.
    public var graph: ONNXGraph
    /// Free-form key-value metadata (`metadata_props`).
    public var metadata: [ONNXStringEntry]

    /// Reads the model file at `url`, with any external tensor data from the files next to it.
    public static func load(contentsOf url: URL) throws -> ONNXModel {
        let path = ONNXError.quoted(url.path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ONNXError(.file, "model file \(path) does not exist")
        }
        guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else {
            throw ONNXError(.file, "cannot read model file \(path)")
        }
        return try ONNXModel(bytes: [UInt8](data), baseDirectory: url.deletingLastPathComponent())
    }

    /// Decodes a model from its protobuf bytes. `baseDirectory` is the directory that external
    /// tensor data files are relative to; when nil, a tensor with external data throws.
    public init(bytes: [UInt8], baseDirectory: URL?) throws {
        var reader = ProtobufReader(bytes)
        var irVersion: Int64 = 0, modelVersion: Int64 = 0
        var producerName = "", producerVersion = "", domain = "", docString = ""
        var opsetImports: [ONNXOperatorSetID] = []
        var metadata: [ONNXStringEntry] = []
        var graphReader: ProtobufReader?
        while let field = try reader.nextField() {
            switch field.number {
            case 1: irVersion = try reader.int64(field)
            case 2: producerName = try reader.string(field)
            case 3: producerVersion = try reader.string(field)
            case 4: domain = try reader.string(field)
            case 5: modelVersion = try reader.int64(field)
            case 6: docString = try reader.string(field)
            case 7: graphReader = try reader.message(field)
            case 8:
                var message = try reader.message(field)
                opsetImports.append(try ONNXError.locating("opset_import[\(opsetImports.count)]") {
                    try ONNXOperatorSetID(reading: &message)
                })
            case 14:
                var message = try reader.message(field)
                metadata.append(try ONNXError.locating("metadata_props[\(metadata.count)]") {
                    try ONNXStringEntry(reading: &message)
                })
            default: try reader.skip(field)  // functions (25), training_info (20), ...
            }
        }
        let opsetVersion = try Self.defaultOpsetVersion(opsetImports)
        guard var graphReader else { throw ONNXError(.invalid, "the model has no graph (field 7)") }
        let graph = try ONNXError.locating("graph") { try ONNXGraph(reading: &graphReader, baseDirectory: baseDirectory) }
        self.irVersion = irVersion
        self.opsetImports = opsetImports
        self.opsetVersion = opsetVersion
        self.producerName = producerName
        self.producerVersion = producerVersion
        self.domain = domain
        self.modelVersion = modelVersion
        self.docString = docString
        self.graph = graph
        self.metadata = metadata
    }

    /// The default domain's opset version, which must be imported once and be supported.
    private static func defaultOpsetVersion(_ imports: [ONNXOperatorSetID]) throws -> Int64 {
        let versions = Set(imports.filter(\.isDefaultDomain).map(\.version)).sorted()
        guard let version = versions.first else {
            throw ONNXError(.invalid, "no opset of the default domain (\"\" or \"ai.onnx\") is imported")
                .within("opset_import")
        }
        guard versions.count == 1 else {
            throw ONNXError(.invalid, "the default domain is imported at several versions \(versions)").within("opset_import")
        }
        guard supportedOpsets.contains(version) else {
            throw ONNXError(.unsupported, "default-domain opset \(version) is not supported "
                                + "(supported: \(supportedOpsets.lowerBound)...\(supportedOpsets.upperBound))")
                .within("opset_import")
        }
        return version
    }
}
