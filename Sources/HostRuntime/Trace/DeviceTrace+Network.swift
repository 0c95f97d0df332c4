import Compiler
import ISA
import Simulator

extension DeviceTrace {
    /// The trace of a network run made with `NetworkRun.Options.keepTimelines`: its segments
    /// back to back (each starts where the previous one's cycles end, as `Statistics.sequence`
    /// counts them), slices named by the network's layer names (a recurrent layer's parts by
    /// their own names), and every host operation where it runs in the schedule, with its wall
    /// time in a functional run.
    public init(network report: NetworkRun.Report, config: HardwareConfig) {
        precondition(report.timelines.count == report.compiled.segments.count, "run with NetworkRun.Options.keepTimelines")
        let compiled = report.compiled
        var segments: [Segment] = [], hostOperations: [HostOperation] = []
        var cycle = 0
        for step in compiled.schedule {
            switch step {
            case .device(let index):
                let segment = compiled.segments[index], timeline = report.timelines[index]
                var names: [Int: String] = [:]
                for info in compiled.layers[segment.layers] {
                    for id in info.layerIDs {
                        names[id - segment.firstLayerID] = info.partNames.isEmpty ? info.name : info.partNames[id - info.layerIDs.lowerBound]
                    }
                }
                segments.append(Segment(program: segment.program, timeline: timeline, startCycle: cycle, layerNames: names))
                cycle += timeline.cycles
            case .host(let index):
                let operation = compiled.hostOperations[index]
                hostOperations.append(HostOperation(name: operation.node, op: operation.op, cycle: cycle,
                                                    seconds: report.hostValues.isEmpty ? nil : report.hostOperationSeconds[index]))
            }
        }
        self.init(config: config, segments: segments, hostOperations: hostOperations)
    }
}
