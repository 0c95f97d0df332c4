/// How `ONNXImporter` imports a model.
public struct ImportOptions: Equatable, Sendable {
    /// Run on the host what the device cannot: a node whose operator is outside
    /// `ONNXImporter.supportedOperators`, or whose form the importer (or, for average pooling,
    /// the device compiler) rejects, becomes a `HostFunction` node when a host kernel computes it
    /// (`npu run --allow-host-ops`). `false`: such a node is an import error whose message ends
    /// with the hint to allow host operations.
    public var allowHostOps: Bool

    public init(allowHostOps: Bool = false) {
        self.allowHostOps = allowHostOps
    }
}
