// swift-tools-version:6.0
// NPUSim: a DianNao-style NPU toolchain. The package depends on the Swift toolchain alone
// (Foundation, Dispatch, Swift Testing); no third-party packages, by design.
import PackageDescription

/// The hot numeric targets (the simulator's functional units and the CPU reference) are built
/// optimized even in debug builds, so that `swift test` runs them at release speed.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "NPUSim",
    products: [
        .executable(name: "npu", targets: ["npu"]),
        .library(name: "ISA", targets: ["ISA"]),
        .library(name: "Simulator", targets: ["Simulator"]),
        .library(name: "Compiler", targets: ["Compiler"]),
        .library(name: "HostRuntime", targets: ["HostRuntime"]),
        .library(name: "ONNX", targets: ["ONNX"]),
        .library(name: "Plots", targets: ["Plots"]),
    ],
    targets: [
        .target(name: "ISA", swiftSettings: optimizedInDebug),
        .target(name: "Simulator", dependencies: ["ISA"], swiftSettings: optimizedInDebug),
        .target(name: "Compiler", dependencies: ["ISA"], swiftSettings: optimizedInDebug),
        .target(name: "HostRuntime", dependencies: ["ISA", "Simulator", "Compiler"], swiftSettings: optimizedInDebug),
        .target(name: "ONNX", dependencies: ["ISA", "Compiler"], swiftSettings: optimizedInDebug),
        .target(name: "Plots"),
        .executableTarget(name: "npu", dependencies: ["ISA", "Simulator", "Compiler", "HostRuntime", "ONNX", "Plots"]),
        .testTarget(name: "ISATests", dependencies: ["ISA"]),
        .testTarget(name: "SimulatorTests", dependencies: ["ISA", "Simulator"]),
        .testTarget(name: "CompilerTests", dependencies: ["Compiler", "Simulator", "HostRuntime"]),
        .testTarget(name: "HostRuntimeTests", dependencies: ["ISA", "Simulator", "HostRuntime"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ISA", "Simulator", "HostRuntime"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        .testTarget(name: "ONNXTests", dependencies: ["ISA", "ONNX", "Compiler", "Simulator", "HostRuntime"]),
    ]
)
