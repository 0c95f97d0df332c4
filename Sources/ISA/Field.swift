/// How a field's bits are interpreted and spelled in assembly.
public enum FieldKind: Sendable, Equatable {
    /// An unsigned integer in `0 ..< 2^width`.
    case unsigned
    /// A two's complement integer in `-2^(width-1) ..< 2^(width-1)`.
    case signed
    /// A one-bit flag, written as `name=1` / `name=0` (or `name=true` / `name=false`).
    case flag
    /// A closed set of names, encoded as their index.
    case choice([String])
}

/// One field of an instruction format: its name, width in bits, meaning, and how to read and
/// write it in the payload struct. The bit offset is not stored: formats lay fields out in
/// declaration order after the common header, so each offset is declared exactly once, by order.
public struct Field<Payload>: Sendable {
    public let name: String
    public let width: Int
    public let kind: FieldKind
    /// Smallest legal value (e.g. 1 for sizes and strides); checked by encode and decode.
    public let minimum: Int64
    /// Whether the assembler requires the field; optional fields default to `defaultValue`.
    public let isRequired: Bool
    public let defaultValue: Int64
    public let summary: String
    let explicitMaximum: Int64?
    let read: @Sendable (Payload) -> Int64
    let write: @Sendable (inout Payload, Int64) -> Void

    /// An integer field stored in an `Int` property.
    public init(_ name: String, _ width: Int, _ keyPath: WritableKeyPath<Payload, Int> & Sendable,
                signed: Bool = false, minimum: Int64? = nil, maximum: Int64? = nil, required: Bool = true,
                default defaultValue: Int64 = 0, _ summary: String) {
        self.name = name
        self.width = width
        self.kind = signed ? .signed : .unsigned
        self.minimum = minimum ?? (signed ? -(Int64(1) << (width - 1)) : 0)
        self.explicitMaximum = maximum
        self.isRequired = required
        self.defaultValue = defaultValue
        self.summary = summary
        self.read = { Int64($0[keyPath: keyPath]) }
        self.write = { $0[keyPath: keyPath] = Int($1) }
    }

    /// A one-bit flag stored in a `Bool` property; optional, default 0.
    public init(_ name: String, flag keyPath: WritableKeyPath<Payload, Bool> & Sendable, _ summary: String) {
        self.name = name
        self.width = 1
        self.kind = .flag
        self.minimum = 0
        self.isRequired = false
        self.defaultValue = 0
        self.explicitMaximum = nil
        self.summary = summary
        self.read = { $0[keyPath: keyPath] ? 1 : 0 }
        self.write = { $0[keyPath: keyPath] = $1 != 0 }
    }

    /// A choice among the cases of a `CaseIterable` enum with `Int` raw values 0, 1, 2, ...
    public init<Choice: CaseIterable & RawRepresentable & CustomStringConvertible & Sendable>(
        _ name: String, _ width: Int, _ keyPath: WritableKeyPath<Payload, Choice> & Sendable,
        required: Bool = true, default defaultValue: Choice? = nil, _ summary: String
    ) where Choice.RawValue == Int {
        self.name = name
        self.width = width
        self.kind = .choice(Choice.allCases.map(\.description))
        self.minimum = 0
        self.isRequired = required
        self.defaultValue = Int64(defaultValue?.rawValue ?? 0)
        self.explicitMaximum = nil
        self.summary = summary
        self.read = { Int64($0[keyPath: keyPath].rawValue) }
        self.write = { $0[keyPath: keyPath] = Choice(rawValue: Int($1))! }
    }

    /// The largest legal value.
    public var maximum: Int64 {
        if let explicitMaximum { return explicitMaximum }
        return switch kind {
        case .unsigned, .flag: (Int64(1) << width) - 1
        case .signed: (Int64(1) << (width - 1)) - 1
        case .choice(let names): Int64(names.count - 1)
        }
    }

    /// A type-erased view, used by the opcode table.
    var erased: AnyField {
        AnyField(name: name, width: width, kind: kind, minimum: minimum, maximum: maximum,
                 isRequired: isRequired, defaultValue: defaultValue, summary: summary)
    }
}

/// A field's description without its payload type, for tables, encoding and documentation.
public struct AnyField: Sendable, Equatable {
    public let name: String
    public let width: Int
    public let kind: FieldKind
    public let minimum: Int64
    public let maximum: Int64
    public let isRequired: Bool
    public let defaultValue: Int64
    public let summary: String

    /// Whether `value` may be stored in this field.
    public func accepts(_ value: Int64) -> Bool { value >= minimum && value <= maximum }

    /// The human-readable legal range, e.g. `1...65535` or `nbin|sb|nbout`.
    public var rangeDescription: String {
        switch kind {
        case .choice(let names): names.joined(separator: "|")
        case .flag: "0|1"
        default: "\(minimum)...\(maximum)"
        }
    }
}
