; relu_requant.s — the output stage of an int8 layer: ReLU, then requantization of int32
; accumulators to int8 (y = clamp(0 + roundShift(max(x, 0) * 19661, 24), -128, 127),
; i.e. a scale of 19661 / 2^24 = 0.0011719), on the edge preset.
.config edge
.input  X addr=0x0000 shape=64x64 type=i32 range=-100000,100000
.output Y addr=0x4000 shape=64x64 type=i8
.check  Y = requant(relu(X), mult=19661, shift=24, zp=0, lo=-128, hi=127, type=i8)

    load buf=nbout type=i32 dram=0x0000 addr=0 x=4096 push_next
    vrelu dst=0 a=0 type=i32 dst_type=i32 x=64 y=64 pop_prev
    cfg.requant mult=19661 shift=24 zp=0 lo=-128 hi=127
    vrequant dst=0x4000 a=0 type=i32 dst_type=i8 x=64 y=64 push_next
    store buf=nbout type=i8 dram=0x4000 addr=0x4000 x=4096 pop_prev
    halt
