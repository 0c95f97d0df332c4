; lstm_cell.s — one LSTM cell step in 16-bit fixed point on the diannao preset.
;   z = [x, h] W + b            gates i, f, g, o (16 hidden units each), W is 32x64
;   i, f, o = sigmoid(z), g = tanh(z)        (PWL tables, Q0.15)
;   c' = f * c + i * g,  h' = o * tanh(c')    (Q3.12)
; Formats: x, h, c, W in Q3.12; b in Q6.24 (the product format); z requantized to Q3.12.
; x and h are loaded side by side so the matrix unit sees one 32-channel input.
.config diannao
.input  X addr=0x0000 shape=1x16 type=i16 range=-4096,4096
.input  H addr=0x0040 shape=1x16 type=i16 range=-4096,4096
.input  C addr=0x0080 shape=1x16 type=i16 range=-8192,8192
.input  W addr=0x0100 shape=32x64 type=i16 range=-2048,2048
.input  B addr=0x1100 shape=64 type=i32 range=-4194304,4194304
.output HO addr=0x1400 shape=1x16 type=i16
.output CO addr=0x1440 shape=1x16 type=i16
.check  Z = requant(add(gemm(concat(X, H, axis=1), W), B), mult=1, shift=12, lo=-32768, hi=32767, type=i16)
.check  I = pwl(slice(Z, axis=1, start=0, len=16), fn=sigmoid, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16)
.check  F = pwl(slice(Z, axis=1, start=16, len=16), fn=sigmoid, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16)
.check  G = pwl(slice(Z, axis=1, start=32, len=16), fn=tanh, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16)
.check  O = pwl(slice(Z, axis=1, start=48, len=16), fn=sigmoid, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16)
.check  CO = add(mul(F, C, shift=15, type=i16), mul(I, G, shift=18, type=i16), type=i16)
.check  HO = mul(O, pwl(CO, fn=tanh, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16), shift=18, type=i16)
.pwl dram=0x1200 fn=sigmoid segments=16 min=-8 max=8 in_frac=12 out_frac=15 shift=16
.pwl dram=0x1300 fn=tanh segments=16 min=-8 max=8 in_frac=12 out_frac=15 shift=16

; NBout map (bytes): 0 accumulators (64 x i32) | 256 c | 512 z (64 x i16: i f g o)
;                    640 gates i f g o | 768 f*c | 800 i*g | 832 c' | 864 tanh(c') | 896 h'
    load buf=nbin  type=i16 dram=0x0000 addr=0  x=16           ; x
    load buf=nbin  type=i16 dram=0x0040 addr=32 x=16           ; h, right after x
    load buf=nbout type=i16 dram=0x0080 addr=256 x=16          ; c
    load buf=sb    type=i16 dram=0x0100 addr=0 x=2048          ; W
    load buf=nbout type=i32 dram=0x1100 addr=0 x=64            ; b: the accumulators' initial value
    load buf=sb    type=i32 dram=0x1200 addr=4096 x=54         ; sigmoid table
    load buf=sb    type=i32 dram=0x1300 addr=4352 x=54 push_next ; tanh table
    cfg.dtype dtype=int16 pop_prev
    pwl.load table=0 buf=sb addr=4096 segments=18 shift=16
    pwl.load table=1 buf=sb addr=4352 segments=18 shift=16
    matmul in=0 w=0 out=0 in_w=1 c=32 out_w=1 k=64 acc=1      ; z = b + [x, h] W
    cfg.requant mult=1 shift=12 lo=-32768 hi=32767
    vrequant dst=512 a=0 type=i32 dst_type=i16 x=64            ; Q6.24 -> Q3.12
    vpwl dst=640 a=512 type=i16 dst_type=i16 x=32 table=0      ; i, f
    vpwl dst=704 a=576 type=i16 dst_type=i16 x=16 table=1      ; g
    vpwl dst=736 a=608 type=i16 dst_type=i16 x=16 table=0      ; o
    vmul dst=768 a=672 b=256 type=i16 dst_type=i16 x=16 shift=15   ; f * c      (Q0.15 x Q3.12 >> 15)
    vmul dst=800 a=640 b=704 type=i16 dst_type=i16 x=16 shift=18   ; i * g      (Q0.15 x Q0.15 >> 18)
    vadd dst=832 a=768 b=800 type=i16 dst_type=i16 x=16            ; c'
    vpwl dst=864 a=832 type=i16 dst_type=i16 x=16 table=1          ; tanh(c')
    vmul dst=896 a=736 b=864 type=i16 dst_type=i16 x=16 shift=18 push_next ; h' = o * tanh(c')
    store buf=nbout type=i16 dram=0x1400 addr=896 x=16 pop_prev
    store buf=nbout type=i16 dram=0x1440 addr=832 x=16
    halt
