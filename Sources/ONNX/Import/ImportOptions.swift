/// How `ONNXImporter` imports a model.
public struct ImportOptions: Equatable, Sendable {
    /// Run on the host an operator outside `ONNXImporter.supportedOperators` when a host kernel
    /// computes it (`npu run --allow-host-ops`): the node becomes a `HostFunction`. `false`: such
    /// a node is an import error whose message ends with the hint to allow host operations. (A
    /// supported operator in a form the device cannot run, such as a Transpose that moves
    /// elements, runs on the host either way, as a zoo model's softmax does.)
    public var allowHostOps: Bool

    public init(allowHostOps: Bool = false) {
        self.allowHostOps = allowHostOps
    }
}
