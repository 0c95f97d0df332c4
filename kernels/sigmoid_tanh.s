; sigmoid_tanh.s — sigmoid and tanh through piecewise-linear tables on the vector unit
; (DianNao's NFU-3), in 16-bit fixed point on the diannao preset.
;   S = sigmoid(X), T = tanh(X); X is Q3.12 (int16, covering [-8, 8)), S and T are Q0.15.
; Each table has 16 chord segments over [-8, 8] plus a constant segment on each side (18
; entries), slopes with 16 fraction bits; `.pwl` fits it and places it in DRAM.
.config diannao
.input  X addr=0x0000 shape=4x128 type=i16
.output S addr=0x1000 shape=4x128 type=i16
.output T addr=0x2000 shape=4x128 type=i16
.check  S = pwl(X, fn=sigmoid, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16)
.check  T = pwl(X, fn=tanh, segments=16, min=-8, max=8, in_frac=12, out_frac=15, shift=16, type=i16)
.pwl dram=0x3000 fn=sigmoid segments=16 min=-8 max=8 in_frac=12 out_frac=15 shift=16
.pwl dram=0x3100 fn=tanh segments=16 min=-8 max=8 in_frac=12 out_frac=15 shift=16

    load buf=sb type=i32 dram=0x3000 addr=0 x=54               ; 18 segments x 3 words
    load buf=sb type=i32 dram=0x3100 addr=256 x=54
    load buf=nbin type=i16 dram=0x0000 addr=0 x=512 push_next  ; X: 1 KiB
    pwl.load table=0 buf=sb addr=0 segments=18 shift=16 pop_prev
    pwl.load table=1 buf=sb addr=256 segments=18 shift=16
    vpwl dst=0 a_buf=nbin a=0 type=i16 dst_type=i16 x=512 table=0 push_next
    store buf=nbout type=i16 dram=0x1000 addr=0 x=512 pop_prev push_prev
    vpwl dst=0 a_buf=nbin a=0 type=i16 dst_type=i16 x=512 table=1 pop_next push_next  ; reuses NBout once S is out
    store buf=nbout type=i16 dram=0x2000 addr=0 x=512 pop_prev
    halt
