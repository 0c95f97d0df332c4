import Compiler
import Testing

@Suite struct NetworkMemoryPlannerTests {
    typealias R = MemoryPlanner.Request

    /// A chain a -> b -> c -> d: each tensor lives across two steps, so two buffers alternate.
    @Test func chainReusesTwoBuffers() {
        let requests = [R(name: "a", bytes: 100, firstStep: -1, lastStep: 0), R(name: "b", bytes: 100, firstStep: 0, lastStep: 1),
                        R(name: "c", bytes: 100, firstStep: 1, lastStep: 2), R(name: "d", bytes: 100, firstStep: 2, lastStep: 3)]
        let plan = MemoryPlanner.plan(requests, alignment: 64)
        #expect(plan.peakBytes == 256)
        #expect(plan.unsharedBytes == 512)
        #expect(plan.offsets["a"] == 0 && plan.offsets["b"] == 128 && plan.offsets["c"] == 0 && plan.offsets["d"] == 128)
    }

    /// A residual block: the skip tensor stays live across the branch; best fit puts a small
    /// tensor into the smallest hole.
    @Test func residualBlockAndBestFit() {
        let requests = [
            R(name: "x", bytes: 256, firstStep: -1, lastStep: 2),   // read by conv1 (0) and the add (2)
            R(name: "h1", bytes: 512, firstStep: 0, lastStep: 1),
            R(name: "h2", bytes: 256, firstStep: 1, lastStep: 2),
            R(name: "y", bytes: 64, firstStep: 2, lastStep: 3),
            R(name: "z", bytes: 256, firstStep: 3, lastStep: 4),
        ]
        let plan = MemoryPlanner.plan(requests, alignment: 64)
        #expect(plan.offsets["x"] == 0)
        #expect(plan.offsets["h1"] == 256)
        #expect(plan.offsets["h2"] == 768)
        #expect(plan.peakBytes == 1024)
        // At step 2, h1's 512 bytes are free (256..<768): y takes the start of that hole.
        #expect(plan.offsets["y"] == 256)
        // At step 3 only y is live: z goes into the hole below it (0..<256, best fit).
        #expect(plan.offsets["z"] == 0)
        let noReuse = MemoryPlanner.plan(requests, alignment: 64, reuse: false)
        #expect(noReuse.peakBytes == noReuse.unsharedBytes)
    }
}
