/// How finely a trace shows the engines' work.
public enum TraceDetail: String, CaseIterable, Sendable {
    /// One slice per instruction (per channel request on the DRAM track).
    case instructions
    /// One slice per run of consecutive instructions of one layer on a track (per engine, a
    /// layer's span from its first start to its last end, idle gaps included: the slice's
    /// `busy_cycles` says how much of it was work).
    case layers

    /// Programs up to this many fetched instructions (all device segments together) are traced
    /// per instruction by default, larger ones per layer. Per instruction a trace takes about
    /// 270 bytes of JSON per instruction (its slice, its DRAM request's, the fetches'; measured:
    /// ResNet-18 on `diannao`, 267,000 instructions, 72 MB), so a default trace stays under
    /// about 30 MB, which Perfetto loads in seconds.
    public static let instructionLimit = 100_000

    /// `instructions` up to `instructionLimit` fetched instructions, else `layers`.
    public static func automatic(instructionCount: Int) -> TraceDetail {
        instructionCount <= instructionLimit ? .instructions : .layers
    }
}
