#!/usr/bin/env python3
"""Writes the ONNX fixtures into Tests/Fixtures/onnx/: tiny models, their inputs and the outputs
onnxruntime computes for them.

Run from any directory; it replaces the *.onnx, *.npy, *.data and fixtures.json files of
Tests/Fixtures/onnx/:

    python3 -m venv /tmp/onnx-venv
    /tmp/onnx-venv/bin/pip install onnx==1.23.2 onnxruntime==1.32.0 numpy==2.4.6
    /tmp/onnx-venv/bin/python scripts/onnx/make_fixtures.py

Generated with Python 3.11.7, onnx 1.23.2, onnxruntime 1.32.0 (CPU), numpy 2.4.6, protobuf 7.36.2.

For each fixture NAME it writes NAME.onnx (built with onnx.helper and checked with
onnx.checker, shapes included), NAME.input.npy (float32, NCHW where the operator is spatial,
batch 1) and NAME.output.npy (onnxruntime's result for the model's first output); the
external-data fixture also writes NAME.data. fixtures.json indexes them: files, shapes, the
operators each model holds, its opset, and for QDQ models whether the output is an exact
integer result (a lone QuantizeLinear is; a quantized convolution, accumulated in float by the
reference, may differ from an integer pipeline by one quantization step).

Every random value comes from np.random.default_rng(crc32(NAME)), so adding a fixture leaves
the others unchanged. onnxruntime runs with graph optimizations disabled (each node as the
ONNX specification defines it, no fusions) on one thread, so its outputs are reproducible:
running the script twice writes identical bytes.
"""
import json
import pathlib
import zlib

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "onnx"
FIXTURES = []
ABOUT = ("Each fixture: a model, a float32 input and onnxruntime's first output (graph optimizations off, "
         "one thread). ops: the operator types in the graph. exact_integer (QDQ models only): true when "
         "the output is an integer result an integer pipeline must match exactly; false when the "
         "reference accumulates in float, so one quantization step of difference is allowed.")


def fixture(opset=17, shape=(1, 3, 8, 8), exact_integer=None, make_input=None,
            initializers_as_inputs=False, external_data=False):
    """Registers a builder `f(g, x) -> output tensor name` as the fixture named after it."""
    def register(build):
        FIXTURES.append(dict(name=build.__name__, build=build, opset=opset, shape=shape,
                             exact_integer=exact_integer, make_input=make_input,
                             initializers_as_inputs=initializers_as_inputs,
                             external_data=external_data))
        return build
    return register


class Graph:
    """Collects the nodes and initializers of one model, drawing weights from its generator."""

    def __init__(self, rng):
        self.rng = rng
        self.nodes = []
        self.initializers = []
        self.extra_outputs = []  # graph outputs after the first, which the fixtures ignore

    def const(self, array, dtype=np.float32):
        name = f"const{len(self.initializers)}"
        self.initializers.append(numpy_helper.from_array(np.asarray(array, dtype=dtype), name))
        return name

    def ints(self, values):
        return self.const(values, np.int64)

    def weight(self, *shape, fan_in=None):
        """Normal weights scaled by 1/sqrt(fan_in), so activations stay near unit size."""
        fan_in = fan_in or int(np.prod(shape[1:])) or 1
        return self.const(self.rng.standard_normal(shape) / np.sqrt(fan_in))

    def node(self, op, inputs, outputs=1, **attributes):
        names = [f"{op.lower()}{len(self.nodes)}_{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, names, name=f"{op}_{len(self.nodes)}", **attributes))
        return names[0] if outputs == 1 else names


# Convolution ------------------------------------------------------------------------------

@fixture()
def conv_basic(g, x):
    """3x3 convolution with bias and padding 1."""
    return g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], kernel_shape=[3, 3], pads=[1, 1, 1, 1])


@fixture(shape=(1, 3, 9, 9))
def conv_stride_pads(g, x):
    """Stride 2 with asymmetric pads (top 1, left 0, bottom 0, right 1), no bias."""
    return g.node("Conv", [x, g.weight(4, 3, 3, 3)], strides=[2, 2], pads=[1, 0, 0, 1])


@fixture(shape=(1, 2, 9, 9))
def conv_dilation(g, x):
    """Dilation 2, padding 2, bias."""
    return g.node("Conv", [x, g.weight(3, 2, 3, 3), g.weight(3)], dilations=[2, 2], pads=[2, 2, 2, 2])


@fixture(shape=(1, 4, 6, 6))
def conv_group(g, x):
    """Two groups of 2 input and 3 output channels."""
    return g.node("Conv", [x, g.weight(6, 2, 3, 3), g.weight(6)], group=2, pads=[1, 1, 1, 1])


@fixture(shape=(1, 4, 7, 7))
def conv_depthwise(g, x):
    """Depthwise (group = channels = 4), stride 2, bias."""
    return g.node("Conv", [x, g.weight(4, 1, 3, 3), g.weight(4)], group=4, strides=[2, 2], pads=[1, 1, 1, 1])


@fixture(shape=(1, 3, 6, 6))
def conv_depthwise_multiplier(g, x):
    """Depthwise with channel multiplier 2 (group 3, 6 outputs)."""
    return g.node("Conv", [x, g.weight(6, 1, 3, 3)], group=3, pads=[1, 1, 1, 1])


@fixture(shape=(1, 8, 4, 4))
def conv_pointwise(g, x):
    """1x1 convolution, kernel_shape left to be inferred from the weights."""
    return g.node("Conv", [x, g.weight(5, 8, 1, 1), g.weight(5)])


@fixture(opset=11, shape=(1, 3, 7, 7))
def conv_auto_pad_opset11(g, x):
    """auto_pad SAME_UPPER with stride 2 (TensorFlow exports)."""
    return g.node("Conv", [x, g.weight(4, 3, 3, 3)], strides=[2, 2], auto_pad="SAME_UPPER")


@fixture(opset=11, initializers_as_inputs=True)
def conv_initializers_as_inputs(g, x):
    """Weights listed as graph inputs too (older exporters): they are constants, not inputs."""
    return g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])


@fixture(opset=21)
def conv_opset21(g, x):
    """3x3 convolution at opset 21."""
    return g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])


@fixture(shape=(1, 4, 4, 4))
def convtranspose_stride2(g, x):
    """Transposed 3x3, stride 2, pads 1, output_padding 1 (4x4 to 8x8), bias."""
    return g.node("ConvTranspose", [x, g.weight(4, 3, 3, 3, fan_in=9), g.weight(3)],
                  strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1])


@fixture(shape=(1, 4, 4, 4))
def convtranspose_k2s2(g, x):
    """Transposed 2x2 stride 2 (U-Net upsampling), no bias."""
    return g.node("ConvTranspose", [x, g.weight(4, 2, 2, 2, fan_in=4)], strides=[2, 2])


# Fully connected ------------------------------------------------------------------------------

@fixture(shape=(1, 16))
def gemm_linear(g, x):
    """transB=1 with bias, default alpha and beta (PyTorch Linear)."""
    return g.node("Gemm", [x, g.weight(8, 16), g.weight(8)], transB=1)


@fixture(opset=13, shape=(1, 16))
def gemm_alpha_beta(g, x):
    """alpha 0.5, beta 2, B not transposed, C of shape [1, 8]."""
    return g.node("Gemm", [x, g.weight(16, 8, fan_in=16), g.weight(1, 8)], alpha=0.5, beta=2.0)


@fixture(shape=(1, 16))
def matmul_const(g, x):
    """[1, 16] x constant [16, 8]."""
    return g.node("MatMul", [x, g.weight(16, 8, fan_in=16)])


@fixture(shape=(1, 4, 16))
def matmul_3d(g, x):
    """[1, 4, 16] x constant [16, 8] (a token-wise projection)."""
    return g.node("MatMul", [x, g.weight(16, 8, fan_in=16)])


# Element-wise ---------------------------------------------------------------------------------

@fixture(shape=(1, 4, 6, 6))
def add_residual(g, x):
    """x + Relu(Conv(x)): two branches joining."""
    branch = g.node("Relu", [g.node("Conv", [x, g.weight(4, 4, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])])
    return g.node("Add", [x, branch])


@fixture(shape=(1, 4, 3, 3))
def add_const_broadcast(g, x):
    """x + a constant [4, 1, 1] broadcast over H and W."""
    return g.node("Add", [x, g.weight(4, 1, 1, fan_in=1)])


@fixture(shape=(1, 4, 3, 3))
def sub_const(g, x):
    """x - a constant [1, 4, 1, 1]."""
    return g.node("Sub", [x, g.weight(1, 4, 1, 1, fan_in=1)])


@fixture(shape=(1, 4, 3, 3))
def sub_tensors(g, x):
    """Conv1x1(x) - x."""
    return g.node("Sub", [g.node("Conv", [x, g.weight(4, 4, 1, 1)]), x])


@fixture(shape=(1, 4, 3, 3))
def mul_const(g, x):
    """x * a scalar constant."""
    return g.node("Mul", [x, g.const(0.75)])


@fixture(shape=(1, 4, 3, 3))
def mul_tensors(g, x):
    """x * Sigmoid(x) (swish)."""
    return g.node("Mul", [x, g.node("Sigmoid", [x])])


@fixture(shape=(1, 4, 3, 3))
def div_const(g, x):
    """x / a scalar constant."""
    return g.node("Div", [x, g.const(3.0)])


def spread(rng, shape):
    """Normal values times 4, so that clipping and saturating activations see both ends."""
    return (rng.standard_normal(shape) * 4).astype(np.float32)


@fixture(shape=(1, 4, 3, 3))
def relu(g, x):
    """Relu."""
    return g.node("Relu", [x])


@fixture(shape=(1, 4, 3, 3))
def leakyrelu(g, x):
    """LeakyRelu, alpha 0.1."""
    return g.node("LeakyRelu", [x], alpha=0.1)


@fixture(shape=(1, 4, 3, 3), make_input=spread)
def clip_relu6(g, x):
    """Clip with min 0 and max 6 as constant inputs (ReLU6)."""
    return g.node("Clip", [x, g.const(0.0), g.const(6.0)])


@fixture(opset=11, shape=(1, 4, 3, 3), make_input=spread)
def clip_relu6_opset11(g, x):
    """ReLU6 at opset 11, the first with min and max as inputs."""
    return g.node("Clip", [x, g.const(0.0), g.const(6.0)])


@fixture(shape=(1, 4, 3, 3), make_input=spread)
def sigmoid(g, x):
    """Sigmoid."""
    return g.node("Sigmoid", [x])


@fixture(shape=(1, 4, 3, 3), make_input=spread)
def tanh(g, x):
    """Tanh."""
    return g.node("Tanh", [x])


# Pooling and normalization --------------------------------------------------------------------

@fixture()
def maxpool_2x2(g, x):
    """2x2 max pooling, stride 2."""
    return g.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])


@fixture()
def maxpool_ceil_pads(g, x):
    """3x3 stride 2, pads 1, ceil_mode 1 (8x8 to 5x5; floor would give 4x4)."""
    return g.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1)


@fixture()
def avgpool_include_pad(g, x):
    """3x3 stride 2, pads 1, count_include_pad 1 (padding counts in the divisor)."""
    return g.node("AveragePool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1)


@fixture()
def avgpool_exclude_pad(g, x):
    """3x3 stride 2, pads 1, count_include_pad 0 (the default)."""
    return g.node("AveragePool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0)


@fixture()
def avgpool_ceil(g, x):
    """3x3 stride 2, no pads, ceil_mode 1: the last window hangs past the edge."""
    return g.node("AveragePool", [x], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)


@fixture(shape=(1, 4, 5, 5))
def globalaveragepool(g, x):
    """Global average pooling to [1, 4, 1, 1]."""
    return g.node("GlobalAveragePool", [x])


@fixture(shape=(1, 4, 5, 5))
def batchnorm(g, x):
    """Inference batch normalization with scale, bias, running mean and variance."""
    variance = g.const(g.rng.uniform(0.5, 2.0, 4))
    return g.node("BatchNormalization", [x, g.weight(4, fan_in=1), g.weight(4, fan_in=1), g.weight(4, fan_in=1), variance],
                  epsilon=1e-5)


@fixture(shape=(1, 8, 4, 4), make_input=spread)
def lrn_alexnet(g, x):
    """AlexNet's LRN: size 5, alpha 1e-4, beta 0.75, bias 2."""
    return g.node("LRN", [x], size=5, alpha=1e-4, beta=0.75, bias=2.0)


@fixture(shape=(1, 8, 4, 4))
def lrn_strong(g, x):
    """LRN whose alpha matters: size 3, alpha 0.5, beta 0.75, bias 1."""
    return g.node("LRN", [x], size=3, alpha=0.5, beta=0.75, bias=1.0)


# Shapes and layout ----------------------------------------------------------------------------

@fixture(shape=(1, 4, 5, 5))
def concat_channels(g, x):
    """Concat of Conv(x) (3 channels) and Relu(x) (4) along channels."""
    conv = g.node("Conv", [x, g.weight(3, 4, 3, 3)], pads=[1, 1, 1, 1])
    return g.node("Concat", [conv, g.node("Relu", [x])], axis=1)


@fixture(shape=(1, 4, 3, 3))
def flatten(g, x):
    """Flatten, axis 1, to [1, 36]."""
    return g.node("Flatten", [x], axis=1)


@fixture(shape=(1, 4, 3, 3))
def reshape_flatten(g, x):
    """Reshape to the constant shape [0, -1]: 0 copies the batch, -1 takes the rest."""
    return g.node("Reshape", [x, g.ints([0, -1])])


@fixture(shape=(1, 4, 6, 6))
def reshape_4d(g, x):
    """Reshape to [0, 2, -1, 6]: [1, 2, 12, 6]."""
    return g.node("Reshape", [x, g.ints([0, 2, -1, 6])])


@fixture(opset=21, shape=(1, 4, 6, 6))
def reshape_opset21(g, x):
    """Reshape to [0, -1] at opset 21."""
    return g.node("Reshape", [x, g.ints([0, -1])])


@fixture(shape=(1, 3, 4, 5))
def transpose_nhwc(g, x):
    """NCHW to NHWC (perm 0 2 3 1)."""
    return g.node("Transpose", [x], perm=[0, 2, 3, 1])


@fixture(shape=(1, 3, 4, 5))
def transpose_roundtrip(g, x):
    """To NHWC, Relu, and back to NCHW (perm 0 3 1 2)."""
    nhwc = g.node("Relu", [g.node("Transpose", [x], perm=[0, 2, 3, 1])])
    return g.node("Transpose", [nhwc], perm=[0, 3, 1, 2])


@fixture(shape=(1, 4, 3, 3))
def squeeze(g, x):
    """GlobalAveragePool then Squeeze with axes [2, 3] as an input (opset 13 form)."""
    return g.node("Squeeze", [g.node("GlobalAveragePool", [x]), g.ints([2, 3])])


@fixture(opset=11, shape=(1, 4, 3, 3))
def squeeze_opset11(g, x):
    """GlobalAveragePool then Squeeze with the axes attribute (opset 11 form)."""
    return g.node("Squeeze", [g.node("GlobalAveragePool", [x])], axes=[2, 3])


@fixture(shape=(1, 4))
def unsqueeze(g, x):
    """Unsqueeze [1, 4] to [1, 4, 1, 1], axes as an input (opset 13 form)."""
    return g.node("Unsqueeze", [x, g.ints([2, 3])])


@fixture(opset=11, shape=(1, 4))
def unsqueeze_opset11(g, x):
    """Unsqueeze with the axes attribute (opset 11 form)."""
    return g.node("Unsqueeze", [x], axes=[2, 3])


@fixture(shape=(1, 4, 3, 3))
def gather_scalar(g, x):
    """Gather channel 2 with a scalar index: the axis disappears ([1, 3, 3])."""
    return g.node("Gather", [x, g.const(2, np.int64)], axis=1)


@fixture(shape=(1, 4, 3, 3))
def gather_1d(g, x):
    """Gather channels [3, 0, 2] with a 1-d index."""
    return g.node("Gather", [x, g.ints([3, 0, 2])], axis=1)


@fixture(shape=(1, 10), make_input=spread)
def softmax_last(g, x):
    """Softmax over axis -1 of [1, 10] (a classifier)."""
    return g.node("Softmax", [x], axis=-1)


@fixture(shape=(1, 4, 3, 3))
def softmax_axis1(g, x):
    """Softmax over the channels of [1, 4, 3, 3] (opset 13 and later: one axis)."""
    return g.node("Softmax", [x], axis=1)


@fixture(opset=11, shape=(1, 4, 3, 3))
def softmax_axis1_opset11(g, x):
    """Softmax axis 1 before opset 13: over axes 1 and later together, 36 values."""
    return g.node("Softmax", [x], axis=1)


@fixture(shape=(1, 4, 3, 3))
def dropout(g, x):
    """Dropout at inference: the identity."""
    return g.node("Dropout", [x])


@fixture(shape=(1, 4, 3, 3))
def dropout_mask(g, x):
    """Dropout with its mask as a second graph output; the first output is the result."""
    output, mask = g.node("Dropout", [x], outputs=2)
    g.extra_outputs = [helper.make_tensor_value_info(mask, TensorProto.BOOL, [1, 4, 3, 3])]
    return output


@fixture(shape=(1, 4, 3, 3))
def identity(g, x):
    """Identity."""
    return g.node("Identity", [x])


@fixture(shape=(1, 4, 3, 3))
def constant_add(g, x):
    """x + a [4, 1, 1] tensor made by a Constant node rather than an initializer."""
    value = numpy_helper.from_array(g.rng.standard_normal((4, 1, 1)).astype(np.float32))
    return g.node("Add", [x, g.node("Constant", [], value=value)])


@fixture(shape=(1, 3, 4, 4))
def pad_constant(g, x):
    """Constant padding 0.5: H by 1 and 2, W by 2 and 1 (pads and value as inputs)."""
    return g.node("Pad", [x, g.ints([0, 0, 1, 2, 0, 0, 2, 1]), g.const(0.5)], mode="constant")


@fixture(opset=11, shape=(1, 3, 4, 4))
def pad_opset11(g, x):
    """Constant padding with zeros at opset 11 (pads as an input, value omitted)."""
    return g.node("Pad", [x, g.ints([0, 0, 1, 1, 0, 0, 1, 1])])


@fixture(opset=13, shape=(1, 3, 4, 4))
def resize_nearest(g, x):
    """Nearest, scales [1, 1, 2, 2], default coordinate and rounding modes, no roi."""
    return g.node("Resize", [x, "", g.const([1, 1, 2, 2])], mode="nearest")


@fixture(shape=(1, 3, 4, 4))
def resize_nearest_asymmetric(g, x):
    """Nearest scale 2 as PyTorch's Upsample exports it: asymmetric coordinates, floor."""
    return g.node("Resize", [x, "", g.const([1, 1, 2, 2])], mode="nearest",
                  coordinate_transformation_mode="asymmetric", nearest_mode="floor")


@fixture(shape=(1, 3, 4, 4))
def resize_nearest_sizes(g, x):
    """Nearest to sizes [1, 3, 8, 8] (scales omitted)."""
    return g.node("Resize", [x, "", "", g.ints([1, 3, 8, 8])], mode="nearest")


@fixture(opset=11, shape=(1, 3, 4, 4))
def resize_nearest_opset11(g, x):
    """Nearest scale 2 at opset 11 (roi required; stands in for the older Upsample)."""
    return g.node("Resize", [x, g.const([]), g.const([1, 1, 2, 2])], mode="nearest",
                  coordinate_transformation_mode="asymmetric", nearest_mode="floor")


# Recurrent ------------------------------------------------------------------------------------

SEQ, INPUT, HIDDEN = 5, 4, 3


def recurrent(g, x, op, gates, bidirectional, initial, **attributes):
    """An ONNX recurrent layer: W [dirs, gates*H, input], R [dirs, gates*H, H], B [dirs, 2*gates*H]."""
    dirs = 2 if bidirectional else 1
    inputs = [x, g.weight(dirs, gates * HIDDEN, INPUT, fan_in=INPUT),
              g.weight(dirs, gates * HIDDEN, HIDDEN, fan_in=HIDDEN), g.weight(dirs, 2 * gates * HIDDEN, fan_in=HIDDEN), ""]
    if initial:
        inputs.append(g.weight(dirs, 1, HIDDEN, fan_in=1))
        if op == "LSTM":
            inputs.append(g.weight(dirs, 1, HIDDEN, fan_in=1))
    return g.node(op, inputs, hidden_size=HIDDEN, direction="bidirectional" if bidirectional else "forward",
                  **attributes)


def recurrent_fixtures(op, gates):
    """The four variants of a recurrent op: forward or bidirectional, with or without initial state."""
    for bidirectional in (False, True):
        for initial in (False, True):
            name = f"{op.lower()}_{'bidirectional' if bidirectional else 'forward'}{'_initial' if initial else ''}"

            def build(g, x, bidirectional=bidirectional, initial=initial):
                return recurrent(g, x, op, gates, bidirectional, initial)
            build.__name__ = name
            build.__doc__ = (f"{op}, {'bidirectional' if bidirectional else 'forward'}, "
                             f"{'a constant initial state' if initial else 'zero initial state'}; X [5, 1, 4], hidden 3.")
            fixture(shape=(SEQ, 1, INPUT))(build)


recurrent_fixtures("LSTM", 4)
recurrent_fixtures("GRU", 3)
recurrent_fixtures("RNN", 1)


@fixture(shape=(SEQ, 1, INPUT))
def gru_linear_before_reset(g, x):
    """GRU with linear_before_reset 1, as PyTorch exports it."""
    return recurrent(g, x, "GRU", 3, False, True, linear_before_reset=1)


# Quantization ---------------------------------------------------------------------------------

def ties(rng, shape):
    """Multiples of 1/16 in [-18.75, 18.75): x / 0.125 is often a tie, and sometimes past int8."""
    return (rng.integers(-300, 300, shape) / 16).astype(np.float32)


def quantize(g, x, scale, zero_point, axis=None):
    attributes = {} if axis is None else {"axis": axis}
    return g.node("QuantizeLinear", [x, g.const(scale), g.const(zero_point, np.asarray(zero_point).dtype)], **attributes)


@fixture(shape=(1, 4, 4, 4), exact_integer=True, make_input=ties)
def quantizelinear_int8(g, x):
    """x / 0.125 rounded half to even, + zero point -3, saturated to int8."""
    return quantize(g, x, 0.125, np.int8(-3))


@fixture(opset=13, shape=(1, 4, 4, 4), exact_integer=True, make_input=spread)
def quantizelinear_uint8(g, x):
    """uint8, scale 0.05 (not a power of two), zero point 128."""
    return quantize(g, x, 0.05, np.uint8(128))


@fixture(opset=13, shape=(1, 4, 4, 4), exact_integer=True, make_input=ties)
def quantizelinear_per_channel(g, x):
    """Per-channel (axis 1) int8 scales and zero points."""
    return quantize(g, x, [0.125, 0.25, 0.0625, 0.5], np.array([0, -3, 5, 127], np.int8), axis=1)


@fixture(opset=21, shape=(1, 4, 4, 4), exact_integer=True, make_input=ties)
def quantizelinear_opset21(g, x):
    """Per-tensor int8 at opset 21."""
    return quantize(g, x, 0.125, np.int8(-3))


def qdq_conv(g, x, output_dequantized):
    """Q/DQ around a float Conv -> Relu, the weights int8 per output channel, the bias int32."""
    x_scale, x_zero = 0.05, np.int8(-5)
    y_scale, y_zero = 0.03, np.int8(-128)
    weights = g.rng.standard_normal((4, 3, 3, 3)) / np.sqrt(27)
    bias = g.rng.standard_normal(4) * 0.1
    w_scale = np.abs(weights).reshape(4, -1).max(axis=1) / 127
    w_quantized = np.round(weights / w_scale[:, None, None, None]).astype(np.int8)
    b_quantized = np.round(bias / (x_scale * w_scale)).astype(np.int32)
    dq_x = g.node("DequantizeLinear", [quantize(g, x, x_scale, x_zero), g.const(x_scale), g.const(x_zero, np.int8)])
    dq_w = g.node("DequantizeLinear", [g.const(w_quantized, np.int8), g.const(w_scale), g.const(np.zeros(4), np.int8)], axis=0)
    dq_b = g.node("DequantizeLinear", [g.const(b_quantized, np.int32), g.const(x_scale * w_scale),
                                       g.const(np.zeros(4), np.int32)], axis=0)
    activation = g.node("Relu", [g.node("Conv", [dq_x, dq_w, dq_b], pads=[1, 1, 1, 1])])
    y = quantize(g, activation, y_scale, y_zero)
    return g.node("DequantizeLinear", [y, g.const(y_scale), g.const(y_zero, np.int8)]) if output_dequantized else y


@fixture(opset=13, exact_integer=False)
def qdq_conv_relu(g, x):
    """QDQ int8 Conv -> Relu with a dequantized float output."""
    return qdq_conv(g, x, output_dequantized=True)


@fixture(opset=13, exact_integer=False)
def qdq_conv_relu_int8_output(g, x):
    """QDQ int8 Conv -> Relu whose output is the int8 tensor itself."""
    return qdq_conv(g, x, output_dequantized=False)


# Exported patterns and small networks ---------------------------------------------------------

def flatten_by_shape(g, x, unsqueeze_axes_as_input):
    """torch.onnx.export of x.view(x.size(0), -1): Shape, Gather, Unsqueeze, Concat, Reshape."""
    batch = g.node("Gather", [g.node("Shape", [x]), g.node("Constant", [], value=numpy_helper.from_array(np.array(0, np.int64)))],
                   axis=0)
    if unsqueeze_axes_as_input:
        batch = g.node("Unsqueeze", [batch, g.node("Constant", [], value=numpy_helper.from_array(np.array([0], np.int64)))])
    else:
        batch = g.node("Unsqueeze", [batch], axes=[0])
    shape = g.node("Concat", [batch, g.node("Constant", [], value=numpy_helper.from_array(np.array([-1], np.int64)))], axis=0)
    return g.node("Reshape", [x, shape])


@fixture(opset=13, shape=(1, 4, 3, 3))
def flatten_shape_pattern(g, x):
    """Relu, the exported x.view(x.size(0), -1) pattern, then a Linear layer (Gemm)."""
    flat = flatten_by_shape(g, g.node("Relu", [x]), unsqueeze_axes_as_input=True)
    return g.node("Gemm", [flat, g.weight(5, 36), g.weight(5)], transB=1)


@fixture(opset=11, shape=(1, 4, 3, 3))
def flatten_shape_pattern_opset11(g, x):
    """The same pattern at opset 11, Unsqueeze's axes an attribute."""
    flat = flatten_by_shape(g, g.node("Relu", [x]), unsqueeze_axes_as_input=False)
    return g.node("Gemm", [flat, g.weight(5, 36), g.weight(5)], transB=1)


@fixture(opset=13, shape=(1, 3, 16, 16))
def tiny_cnn(g, x):
    """Conv-BN-Relu, MaxPool, depthwise Conv-Relu, GlobalAveragePool, Flatten, Gemm, Softmax."""
    y = g.node("Conv", [x, g.weight(8, 3, 3, 3)], pads=[1, 1, 1, 1])
    y = g.node("BatchNormalization", [y, g.weight(8, fan_in=1), g.weight(8, fan_in=1), g.weight(8, fan_in=1),
                                      g.const(g.rng.uniform(0.5, 2.0, 8))])
    y = g.node("MaxPool", [g.node("Relu", [y])], kernel_shape=[2, 2], strides=[2, 2])
    y = g.node("Relu", [g.node("Conv", [y, g.weight(8, 1, 3, 3), g.weight(8)], group=8, pads=[1, 1, 1, 1])])
    y = g.node("Flatten", [g.node("GlobalAveragePool", [y])])
    return g.node("Softmax", [g.node("Gemm", [y, g.weight(10, 8), g.weight(10)], transB=1)], axis=-1)


@fixture(shape=(1, 3, 8, 8), external_data=True)
def cnn_external_data(g, x):
    """Conv-Relu, GlobalAveragePool, Flatten, Gemm with every initializer in NAME.data."""
    y = g.node("Relu", [g.node("Conv", [x, g.weight(8, 3, 3, 3), g.weight(8)], pads=[1, 1, 1, 1])])
    y = g.node("Flatten", [g.node("GlobalAveragePool", [y])])
    return g.node("Gemm", [y, g.weight(4, 8), g.weight(4)], transB=1)


# Host operations: operators (or forms) only the host computes, between device layers ---------

@fixture(shape=(1, 3, 8, 8))
def host_hardswish(g, x):
    """Conv, HardSwish (outside the device's operators: the host computes it), Conv 1x1."""
    y = g.node("HardSwish", [g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])])
    return g.node("Conv", [y, g.weight(4, 4, 1, 1), g.weight(4)])


@fixture(shape=(1, 3, 6, 5))
def host_transpose_pair(g, x):
    """Conv, Transpose to NHWC and back to NCHW (element-moving: on the host), Conv."""
    y = g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])
    y = g.node("Transpose", [g.node("Transpose", [y], perm=[0, 2, 3, 1])], perm=[0, 3, 1, 2])
    return g.node("Conv", [y, g.weight(2, 4, 3, 3), g.weight(2)], pads=[1, 1, 1, 1])


@fixture(opset=18, shape=(1, 3, 8, 8))
def host_reducemean(g, x):
    """Conv, ReduceMean over H and W (axes as an input, keepdims 1: [1, 4, 1, 1]), Conv 1x1."""
    y = g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])
    y = g.node("ReduceMean", [y, g.ints([2, 3])], keepdims=1)
    return g.node("Conv", [y, g.weight(6, 4, 1, 1), g.weight(6)])


@fixture(shape=(1, 3, 8, 8))
def host_slice(g, x):
    """Conv, Slice rows 1 to 7 and every second column from the last backwards, Conv."""
    y = g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])
    y = g.node("Slice", [y, g.ints([1, -1]), g.ints([7, -100]), g.ints([2, 3]), g.ints([1, -2])])
    return g.node("Conv", [y, g.weight(4, 4, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])


@fixture(shape=(1, 3, 6, 6))
def host_exp(g, x):
    """Conv, Exp, Conv 1x1."""
    y = g.node("Exp", [g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])])
    return g.node("Conv", [y, g.weight(3, 4, 1, 1), g.weight(3)])


@fixture(shape=(1, 3, 6, 6))
def host_concat_height(g, x):
    """Two Convs concatenated along H (axis 2: on the host), Conv."""
    a = g.node("Conv", [x, g.weight(4, 3, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])
    b = g.node("Conv", [x, g.weight(4, 3, 1, 1), g.weight(4)])
    return g.node("Conv", [g.node("Concat", [a, b], axis=2), g.weight(4, 4, 3, 3), g.weight(4)], pads=[1, 1, 1, 1])


# Generation -----------------------------------------------------------------------------------

def build_model(spec, rng):
    """The model of a fixture, its first output named `output`, typed by shape inference."""
    g = Graph(rng)
    result = spec["build"](g, "input")
    for node in g.nodes:
        renamed = ["output" if name == result else name for name in node.output]
        del node.output[:]
        node.output.extend(renamed)
    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(spec["shape"]))]
    if spec["initializers_as_inputs"]:
        inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in g.initializers]
    outputs = [helper.make_empty_tensor_value_info("output")] + g.extra_outputs
    graph = helper.make_graph(g.nodes, spec["name"], inputs, outputs, initializer=g.initializers)
    opsets = [helper.make_opsetid("", spec["opset"])]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="npusim-make-fixtures",
                              ir_version=helper.find_min_ir_version_for(opsets))
    model.graph.output[0].CopyFrom(onnx.shape_inference.infer_shapes(model).graph.output[0])
    return model


def run(model_bytes_or_path, x):
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # the initializers-as-inputs fixture warns by design
    session = ort.InferenceSession(model_bytes_or_path, options, providers=["CPUExecutionProvider"])
    return session.run(None, {"input": x})[0]


def make(spec):
    name = spec["name"]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    x = (spec["make_input"] or (lambda r, s: r.standard_normal(s).astype(np.float32)))(rng, spec["shape"])
    model = build_model(spec, rng)
    # The output's shape is the one onnxruntime computes; the full check confirms that shape
    # inference agrees.
    y = run(model.SerializeToString(), x)
    output = model.graph.output[0]
    output.CopyFrom(helper.make_tensor_value_info("output", helper.np_dtype_to_tensor_dtype(y.dtype), list(y.shape)))
    onnx.checker.check_model(model, full_check=True)
    model_path = OUT / f"{name}.onnx"
    entry = dict(name=name, file=model_path.name, input=f"{name}.input.npy", output=f"{name}.output.npy",
                 input_shape=list(x.shape), output_shape=list(y.shape), output_dtype=str(y.dtype),
                 ops=sorted({node.op_type for node in model.graph.node}), opset=spec["opset"],
                 description=spec["build"].__doc__)
    if spec["external_data"]:
        entry["external_data"] = f"{name}.data"
        onnx.save_model(model, model_path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=entry["external_data"], size_threshold=0)
        onnx.checker.check_model(str(model_path), full_check=True)
        assert np.array_equal(run(str(model_path), x), y), "the external-data model computes something else"
    else:
        onnx.save_model(model, model_path)
    if spec["exact_integer"] is not None:
        entry["exact_integer"] = spec["exact_integer"]
    np.save(OUT / entry["input"], x)
    np.save(OUT / entry["output"], y)
    return entry


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in [*OUT.glob("*.onnx"), *OUT.glob("*.npy"), *OUT.glob("*.data"), OUT / "fixtures.json"]:
        stale.unlink(missing_ok=True)
    entries = [make(spec) for spec in FIXTURES]
    header = dict(generator="scripts/onnx/make_fixtures.py",
                  versions=dict(onnx=onnx.__version__, onnxruntime=ort.__version__, numpy=np.__version__),
                  about=ABOUT)
    # One fixture a line, so that a change to one shows as one line of a diff.
    lines = [f" {json.dumps(key)}: {json.dumps(value)}," for key, value in header.items()]
    fixtures = ",\n".join(f"  {json.dumps(entry)}" for entry in entries)
    (OUT / "fixtures.json").write_text("{\n" + "\n".join(lines) + '\n "fixtures": [\n' + fixtures + "\n ]\n}\n")
    total = sum(path.stat().st_size for path in OUT.iterdir())
    print(f"{len(entries)} fixtures, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
