/// A user mistake on the command line or in an input file: printed as one line, exit status 1.
struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Parsed command-line arguments of one subcommand: options (`--name value`, `--name=value`),
/// flags (`--name`) and positionals, checked against what the subcommand declares.
struct Arguments {
    private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - options: names (without dashes) that take a value; a short alias maps like `"o": "output"`.
    ///   - flags: names that take no value.
    init(_ arguments: [String], options: Set<String>, flags allowedFlags: Set<String>,
         aliases: [String: String] = [:]) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-"), argument.count > 1 else {
                positionals.append(argument)
                continue
            }
            var name = String(argument.drop(while: { $0 == "-" }))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            name = aliases[name] ?? name
            if allowedFlags.contains(name) {
                guard inlineValue == nil else { throw UsageError("option --\(name) takes no value") }
                flags.insert(name)
            } else if options.contains(name) {
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index < arguments.count else { throw UsageError("option --\(name) needs a value") }
                    values[name] = arguments[index]
                    index += 1
                }
            } else {
                throw UsageError("unknown option '\(argument)' (see --help)")
            }
        }
    }

    func value(_ name: String) -> String? { values[name] }
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// An integer option, or `defaultValue` when absent.
    func integer(_ name: String, default defaultValue: Int) throws(UsageError) -> Int {
        guard let text = values[name] else { return defaultValue }
        guard let value = Int(text) else { throw UsageError("--\(name) needs an integer, got '\(text)'") }
        return value
    }

    /// Exactly `count` positionals, described by `what` in the error.
    func requirePositionals(_ count: Int, _ what: String) throws(UsageError) -> [String] {
        guard positionals.count == count else {
            throw UsageError(positionals.count < count ? "missing \(what) (see --help)" : "unexpected argument '\(positionals[count])'")
        }
        return positionals
    }
}
