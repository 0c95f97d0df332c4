/// A check program: the reference computation a kernel's header states for its outputs, which
/// `npu exec` evaluates on the CPU and compares with the device bit for bit.
///
/// One assignment per line; names refer to the inputs or to earlier assignments; calls nest.
///
///     C = gemm(A, B)
///     Y = requant(relu(conv2d(X, W, stride=1, pad=1)), mult=1234, shift=16, type=i8)
///
/// Grammar (blank lines and text after `#` or `;` are ignored):
///
///     line       = name "=" expression
///     expression = atom | name "(" [ argument { "," argument } ] ")"
///     argument   = expression | name "=" atom { "," number }    keywords follow positionals
///     atom       = name | number | shape
///     number     = ["-"] ( digits | "0x" hexdigits | decimal real with "." or exponent )
///     shape      = digits { "x" digits }                          e.g. 4x16
///
/// Functions (defaults after `=`; `type=` sets the result type, `i8 u8 i16 i32 f16 f32`):
///
///     gemm(A, B, type=)                     [M,K] x [K,N]; result i32 (i8, i16 operands) or f32 (f16)
///     conv2d(X, W, stride=1, pad=0, dilation=1, groups=1, pad_value=0, type=)
///                                           [H,W,C] * [R,S,C/G,K] -> [OH,OW,K], result as gemm;
///                                           G groups (G = C: depthwise); a batch
///                                           [N,H,W,C] -> [N,OH,OW,K], image by image
///     maxpool(X, k=, stride=k, pad=0, pad_value=<type minimum>, type=<X's>)
///     sumpool(X, k=, stride=k, pad=0, pad_value=0, type=<X's>)    exact sum, then saturated
///                                           X: [H,W,C] or a batch [N,H,W,C], pooled image by image
///     add|sub|max|min(A, B or integer, type=<A's>), mul(A, B or integer, shift=0, type=<A's>)
///                                           B: A's shape, or one row broadcast along the last axis
///     requant(X [, P], mult=1, shift=0, zp=0, lo=-2^31, hi=2^31-1, type=<X's>)
///                                           P: per-channel (mult, shift) i32 pairs, as vrequantc reads
///                                           ([K,2] for X's last axis K; X of any rank)
///     clamp(X, lo=, hi=, type=<X's>), relu(X, type=<X's>), copy(X, type=<X's>)
///     pwl(X, fn=sigmoid|tanh|exp, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=<X's>)
///                                           integer X: the fixed-point table of PWLTable.fit;
///                                           float X: that table in real units (Reference.floatPWLTable)
///     slice(X, axis=, start=0, len=<rest>), concat(A, B, ..., axis=), reshape(X, shape=4x16)
///
/// `stride`, `dilation` and `k` take one value or `Y,X`; `pad` takes one, `Y,X` or `T,B,L,R`.
/// Every error is one line naming its position: `check 2:14: unknown function 'conv3d' (known: ...)`.
public struct CheckProgram: Sendable {
    let statements: [CheckStatement]

    /// Parses the lines and checks that every function and argument exists with the right
    /// number of arguments, and that no name is assigned twice.
    public init(lines: [String]) throws(CheckError) {
        var statements: [CheckStatement] = []
        var assigned: [String: Int] = [:]
        for (offset, text) in lines.enumerated() {
            guard let statement = try CheckParser.parse(text, line: offset + 1) else { continue }
            if let first = assigned[statement.target.text] {
                throw statement.target.position.syntaxError("'\(statement.target.text)' is already assigned on line \(first)")
            }
            assigned[statement.target.text] = offset + 1
            try Self.validate(statement.expression)
            statements.append(statement)
        }
        self.statements = statements
    }

    /// The names the program assigns, in order.
    public var assignedNames: [String] { statements.map(\.target.text) }

    /// The names the program reads without assigning them first: the inputs it needs.
    public var inputNames: [String] {
        var assigned = Set<String>(), inputs: [String] = []
        func visit(_ expression: CheckExpression) {
            switch expression {
            case .atom(let atom):
                if atom.isName, !assigned.contains(atom.text), !inputs.contains(atom.text) { inputs.append(atom.text) }
            case .call(let call):
                call.arguments.forEach(visit)
            }
        }
        for statement in statements {
            visit(statement.expression)
            assigned.insert(statement.target.text)
        }
        return inputs
    }

    /// Evaluates every line on `inputs` and returns every assigned tensor by name.
    public func evaluate(inputs: [String: Tensor]) throws(CheckError) -> [String: Tensor] {
        var environment = inputs
        var results: [String: Tensor] = [:]
        for statement in statements {
            let target = statement.target
            guard inputs[target.text] == nil else {
                throw target.position.evaluationError("'\(target.text)' is an input and cannot be assigned")
            }
            guard case .tensor(let value) = try evaluate(statement.expression, environment) else {
                throw statement.expression.position.evaluationError("'\(target.text)' must be a tensor, not a number")
            }
            environment[target.text] = value
            results[target.text] = value
        }
        return results
    }

    private func evaluate(_ expression: CheckExpression, _ environment: [String: Tensor]) throws(CheckError) -> CheckValue {
        switch expression {
        case .atom(let atom):
            if let number = try CheckArguments.number(atom) { return number }
            guard atom.isName else { throw atom.position.evaluationError("'\(atom.text)' is not a name or a number") }
            guard let tensor = environment[atom.text] else {
                let known = environment.keys.sorted().joined(separator: ", ")
                throw atom.position.evaluationError("unknown tensor '\(atom.text)' (known here: \(known.isEmpty ? "none" : known))")
            }
            return .tensor(tensor)
        case .call(let call):
            var values: [CheckValue] = []
            for argument in call.arguments { values.append(try evaluate(argument, environment)) }
            return .tensor(try CheckFunction.byName[call.function.text]!.evaluate(CheckArguments(call: call, values: values)))
        }
    }

    /// Checks the calls of `expression` against the function table.
    private static func validate(_ expression: CheckExpression) throws(CheckError) {
        guard case .call(let call) = expression else { return }
        let name = call.function.text
        guard let function = CheckFunction.byName[name] else {
            throw call.function.position.syntaxError("unknown function '\(name)' (known: \(CheckFunction.names))")
        }
        if !function.arity.contains(call.arguments.count) {
            let arity = function.arity
            let expected = arity.count == 1 ? "\(arity.lowerBound)"
                : arity.upperBound == Int.max ? "at least \(arity.lowerBound)" : "\(arity.lowerBound) or \(arity.upperBound)"
            throw call.function.position.syntaxError(
                "\(name) takes \(expected) argument\(arity == 1...1 ? "" : "s"), got \(call.arguments.count): \(function.signature)")
        }
        var seen = Set<String>()
        for keyword in call.keywords {
            let key = keyword.key.text
            guard function.keywords.contains(key) else {
                throw keyword.key.position.syntaxError("\(name) has no argument '\(key)': \(function.signature)")
            }
            guard seen.insert(key).inserted else { throw keyword.key.position.syntaxError("\(key) is given twice") }
        }
        for argument in call.arguments { try validate(argument) }
    }
}
