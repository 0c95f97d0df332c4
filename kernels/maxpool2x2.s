; maxpool2x2.s — 2x2 max pooling with stride 2 on the vector unit, on the edge preset.
;   Y[8x8x32] (int8) = maxpool(X[16x16x32] (int8, HWC), 2x2, stride 2)
.config edge
.input  X addr=0x0000 shape=16x16x32 type=i8
.output Y addr=0x4000 shape=8x8x32 type=i8
.check  Y = maxpool(X, k=2, stride=2)

    load buf=nbin type=i8 dram=0x0000 addr=0 x=8192 push_next
    pool.max dst_buf=nbout dst=0 src_buf=nbin src=0 c=32 in_w=16 out_h=8 out_w=8 kh=2 kw=2 sy=2 sx=2 type=i8 dst_type=i8 pop_prev push_next
    store buf=nbout type=i8 dram=0x4000 addr=0 x=2048 pop_prev
    halt
