/// The inputs `npu bench scalesim` runs by default, embedded so an installed `npu` needs no
/// repository: SCALE-Sim 3.0.0's own ResNet-50 topology (`topologies/mlperf/Resnet50.csv`) and
/// 32x32 weight-stationary configuration (`configs/scale.cfg`), byte for byte the copies in
/// Tests/Fixtures/scalesim (see its README for their origin and MIT license;
/// `BenchScaleSimCLITests` checks the two stay identical).
enum BenchScaleSimInputs {
    /// The topology's name, as SCALE-Sim's file is named.
    static let topologyName = "Resnet50"

    /// `Tests/Fixtures/scalesim/topologies/Resnet50.csv`.
    static let topology = """
Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,

Conv1, 224, 224, 7, 7, 3, 64, 2,
CB2a_1, 56, 56, 1, 1, 64, 64, 1,
CB2a_2, 56, 56, 3, 3, 64, 64, 1,
CB2a_3, 56, 56, 1, 1, 64, 256, 1,
CB2s, 56, 56, 1, 1, 64, 256, 1,
IB2b_1, 56, 56, 1, 1, 256, 64, 1,
IB2b_2, 56, 56, 3, 3, 64, 64, 1,
IB2b_3, 56, 56, 1, 1, 64, 256, 1,
IB2c_1, 56, 56, 1, 1, 256, 64, 1,
IB2c_2, 56, 56, 3, 3, 64, 64, 1,
IB2c_3, 56, 56, 1, 1, 64, 256, 1,
CB3a_1, 56, 56, 1, 1, 256, 128, 2,
CB3a_2, 28, 28, 3, 3, 128, 128, 1,
CB3a_3, 28, 28, 1, 1, 128, 512, 1,
CB3s, 56, 56, 1, 1, 256, 512, 2,
IB3b_1, 28, 28, 1, 1, 512, 128, 1,
IB3b_2, 28, 28, 3, 3, 128, 128, 1,
IB3b_3, 28, 28, 1, 1, 128, 512, 1,
IB3c_1, 28, 28, 1, 1, 512, 128, 1,
IB3c_2, 28, 28, 3, 3, 128, 128, 1,
IB3c_3, 28, 28, 1, 1, 128, 512, 1,
IB3d_1, 28, 28, 1, 1, 512, 128, 1,
IB3d_2, 28, 28, 3, 3, 128, 128, 1,
IB3d_3, 28, 28, 1, 1, 128, 512, 1,
CB4a_1, 28, 28, 1, 1, 512, 256, 2,
CB4a_2, 14, 14, 3, 3, 256, 256, 1,
CB4a_3, 14, 14, 1, 1, 256, 1024, 1,
CB4s, 28, 28, 1, 1, 512, 1024, 2,
IB4b_1, 14, 14, 1, 1, 1024, 256, 1,
IB4b_2, 14, 14, 3, 3, 256, 256, 1,
IB4b_3, 14, 14, 1, 1, 256, 1024, 1,
IB4c_1, 14, 14, 1, 1, 1024, 256, 1,
IB4c_2, 14, 14, 3, 3, 256, 256, 1,
IB4c_3, 14, 14, 1, 1, 256, 1024, 1,
IB4d_1, 14, 14, 1, 1, 1024, 256, 1,
IB4d_2, 14, 14, 3, 3, 256, 256, 1,
IB4d_3, 14, 14, 1, 1, 256, 1024, 1,
IB4e_1, 14, 14, 1, 1, 1024, 256, 1,
IB4e_2, 14, 14, 3, 3, 256, 256, 1,
IB4e_3, 14, 14, 1, 1, 256, 1024, 1,
IB4f_1, 14, 14, 1, 1, 1024, 256, 1,
IB4f_2, 14, 14, 3, 3, 256, 256, 1,
IB4f_3, 14, 14, 1, 1, 256, 1024, 1,
CB5a_1, 14, 14, 1, 1, 1024, 512, 2,
CB5a_2, 7, 7, 3, 3, 512, 512, 1,
CB5a_3, 7, 7, 1, 1, 512, 2048, 1,
CB5s, 14, 14, 1, 1, 1024, 2048, 2,
IB5b_1, 7, 7, 1, 1, 2048, 512, 1,
IB5b_2, 7, 7, 3, 3, 512, 512, 1,
IB5b_3, 7, 7, 1, 1, 512, 2048, 1,
IB5c_1, 7, 7, 1, 1, 2048, 512, 1,
IB5c_2, 7, 7, 3, 3, 512, 512, 1,
IB5c_3, 7, 7, 1, 1, 512, 2048, 1,
FC6, 1, 1, 1, 1, 2048, 1000, 1,

"""

    /// `Tests/Fixtures/scalesim/configs/scale.cfg`.
    static let config = """
[general]
run_name = scale_example_run_32x32_ws

[architecture_presets]
ArrayHeight:    32
ArrayWidth:     32
IfmapSramSzkB:   64
FilterSramSzkB:  64
OfmapSramSzkB:   64
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Bandwidth : 10
Dataflow : ws
MemoryBanks:   1
ReadRequestBuffer: 32
WriteRequestBuffer: 32

[layout]
IfmapCustomLayout: False
IfmapSRAMBankBandwidth: 10
IfmapSRAMBankNum: 10
IfmapSRAMBankPort: 2
FilterCustomLayout: False
FilterSRAMBankBandwidth: 10
FilterSRAMBankNum: 10
FilterSRAMBankPort: 2

[sparsity]
SparsitySupport : false
SparseRep : ellpack_block
OptimizedMapping : false
BlockSize : 8
RandomNumberGeneratorSeed : 40

[run_presets]
InterfaceBandwidth: CALC
UseRamulatorTrace: False

"""
}
