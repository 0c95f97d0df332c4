import ISA

extension Checker {
    /// How a device tensor differs from its reference.
    public struct Mismatch: Equatable, Sendable, CustomStringConvertible {
        public enum Kind: Equatable, Sendable {
            case type(device: ElementType, reference: ElementType)
            case shape(device: [Int], reference: [Int])
            /// Elements differ: the first one by index and value, and how many of `total` differ.
            case values(index: [Int], device: String, reference: String, count: Int, total: Int)
        }

        /// The tensor's name, e.g. `Y`.
        public var name: String
        public var kind: Kind

        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }

        /// One line, e.g. `Y[0,3,5]: device 17, reference 18 (3 of 64 elements differ)`.
        public var description: String {
            func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }
            switch kind {
            case let .type(device, reference):
                return "\(name): device type \(device), reference type \(reference)"
            case let .shape(device, reference):
                return "\(name): device shape \(shapeText(device)), reference shape \(shapeText(reference))"
            case let .values(index, device, reference, count, total):
                return "\(name)\(shapeText(index)): device \(device), reference \(reference) (\(count) of \(total) elements differ)"
            }
        }
    }
}
