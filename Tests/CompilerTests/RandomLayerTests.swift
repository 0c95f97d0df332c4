import Compiler
import HostRuntime
import ISA
import Testing

/// Seeded random small layers (odd sizes, strides, 1x1, 1xN, depthwise, groups, padding,
/// dilation, pooling fused or standalone, every activation) compile and verify bit-exact on the
/// edge preset (int8) and the diannao preset (int16).
@Suite struct RandomLayerTests {
    static let layerCount = 300

    static func randomLayer(_ random: inout TestRandom, index: Int) -> Layer {
        let input = FeatureShape(height: random.int(1...11), width: random.int(1...11), channels: random.int(1...12))
        let name = "random\(index)"
        if random.int(0...5) == 0 {
            let kind: Pooling.Kind = random.bool() ? .max : .average
            if random.int(0...3) == 0 { return Layer(name: name, operation: .globalAveragePool, input: input) }
            let kh = random.int(1...min(3, input.height)), kw = random.int(1...min(3, input.width))
            let padding = Padding(top: random.int(0...(kh - 1)), bottom: random.int(0...(kh - 1)),
                                  left: random.int(0...(kw - 1)), right: random.int(0...(kw - 1)))
            let pooling = Pooling(kind: kind, windowHeight: kh, windowWidth: kw, strideY: random.int(1...2), strideX: random.int(1...2),
                                  padding: padding, ceilMode: kind == .max && random.bool())
            return Layer(name: name, operation: .pooling(pooling), input: input)
        }
        if random.int(0...7) == 0 {
            return Layer(name: name, operation: .fullyConnected(outputFeatures: random.int(1...40)),
                         input: FeatureShape(height: 1, width: random.int(1...4), channels: random.int(1...80)),
                         hasBias: random.bool(), activation: [.none, .relu][random.int(0...1)])
        }
        var groups = 1
        switch random.int(0...5) {
        case 0: groups = input.channels  // depthwise
        case 1: groups = [1, 2, 3, 4].filter { input.channels % $0 == 0 }.last!
        default: break
        }
        let filters = groups * random.int(1...(groups > 4 ? 1 : 3)) * (groups == 1 ? random.int(1...6) : 1)
        let shape = random.int(0...4)
        let kh = shape == 0 ? 1 : (shape == 1 ? random.int(1...5) : 3), kw = shape == 0 ? 1 : (shape == 1 ? 1 : random.int(1...3))
        let dilation = random.int(0...4) == 0 ? 2 : 1
        let reachY = (kh - 1) * dilation + 1, reachX = (kw - 1) * dilation + 1
        let padding = Padding(top: random.int(0...(reachY - 1)), bottom: random.int(0...(reachY - 1)),
                              left: random.int(0...(reachX - 1)), right: random.int(0...(reachX - 1)))
        let activations: [Activation] = [.none, .relu, .relu6, .leakyRelu(alpha: 0.125), .sigmoid, .tanh]
        var layer = convLayer(name, input: input, filters: filters, kernel: (kh, kw), stride: random.int(1...2), padding: padding,
                              dilation: dilation, groups: groups, bias: random.bool(), batchNorm: random.int(0...3) == 0,
                              activation: activations[random.int(0...5)])
        if random.int(0...3) == 0 { layer.pooling = .square(random.bool() ? .max : .average, 2) }
        return layer
    }

    @Test func randomLayersVerifyBitExact() throws {
        var random = TestRandom(seed: 2024)
        var compiled = 0, skipped = 0
        for index in 0..<Self.layerCount {
            let layer = Self.randomLayer(&random, index: index)
            guard (try? layer.outputShape()) != nil, (try? LayerCompiler.compile(layer, config: .edge, dataType: .int8,
                                                                                 parameters: nil, quantization: nil)) != nil else {
                skipped += 1  // invalid shapes (e.g. a window larger than the padded input) are rejected, as they should be
                continue
            }
            let (config, dataType): (HardwareConfig, DataType) = index % 2 == 0 ? (.edge, .int8) : (.diannao, .int16)
            do {
                try compileAndVerify(layer, config: config, dataType: dataType, seed: UInt64(index))
                compiled += 1
            } catch CompilerError.noPlanFits {
                skipped += 1  // DianNao's 2 KiB buffers cannot hold every random layer
            }
        }
        #expect(compiled >= 200, "\(compiled) verified, \(skipped) skipped")
    }
}
