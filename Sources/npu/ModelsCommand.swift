import Compiler
import Foundation

/// `npu models`: the model zoo with input shape, MACs, parameters and source.
struct ModelsCommand: Command {
    let name = "models"
    let summary = "list the model zoo: input shape, MACs, parameters, source paper"
    let usage = """
        usage: npu models

        Lists every model `npu run` accepts, with its input shape (HxWxC, batch 1), multiply-
        accumulates, parameter count (as torchvision counts them) and the paper it follows.
        """

    func run(_ arguments: [String]) throws {
        _ = try Arguments(arguments, options: [], flags: []).requirePositionals(0, "")
        var rows: [[String]] = []
        for model in ModelZoo.all {
            let analysis = try model.graph().analyze()
            let macs = Double(analysis.macs)
            rows.append([model.name, "\(model.input)", macs < 1e8 ? String(format: "%.3f M", macs / 1e6) : String(format: "%.3f G", macs / 1e9),
                         String(format: "%.2f M", Double(analysis.parameters) / 1e6), model.citation])
        }
        print(Format.table(header: ["model", "input", "MACs", "params", "source"], rows: rows))
    }
}
