; conv3x3.s — a 3x3 convolution with zero padding 1, stride 1, on the edge preset.
;   Y[16x16x32] (int32) = conv2d(X[16x16x16] (int8, HWC), W[3x3x16x32] (int8, RSCK))
; The image is processed in two bands of 8 output rows. Each band's input (10 rows with the
; halo) is loaded by one 3-D DMA that also generates the zero border, so DRAM holds X unpadded.
; Band 1 loads while band 0 computes, and band 0 stores while band 1 computes (tokens).
.config edge
.input  X addr=0x0000 shape=16x16x16 type=i8
.input  W addr=0x2000 shape=3x3x16x32 type=i8
.output Y addr=0x4000 shape=16x16x32 type=i32
.check  Y = conv2d(X, W, stride=1, pad=1)

.equ ROW 256                 ; elements per image row: 16 pixels x 16 channels
.equ BAND1_IN 0x1000         ; NBin address of band 1's input (band 0's is 0)
.equ BAND1_OUT 0x4000        ; NBout address of band 1's output: 8 x 16 x 32 x 4 bytes

    cfg.dtype dtype=int8
    load buf=sb type=i8 dram=0x2000 addr=0 x=4608                                        ; W
    ; band 0: image rows 0..8, one zero row above, zero column left and right -> 10x18x16
    load buf=nbin type=i8 dram=0x0000 addr=0 x=16 y=16 z=9 zstride=ROW ypad0=1 ypad1=1 zpad0=1 push_next
    ; band 1: image rows 7..15, one zero row below
    load buf=nbin type=i8 dram=7*ROW addr=BAND1_IN x=16 y=16 z=9 zstride=ROW ypad0=1 ypad1=1 zpad1=1 push_next
    matmul in=0 w=0 out=0 in_w=18 c=16 out_h=8 out_w=16 k=32 kh=3 kw=3 pop_prev push_next
    matmul in=BAND1_IN w=0 out=BAND1_OUT in_w=18 c=16 out_h=8 out_w=16 k=32 kh=3 kw=3 pop_prev push_next
    store buf=nbout type=i32 dram=0x4000 addr=0 x=4096 pop_prev
    store buf=nbout type=i32 dram=0x4000+4*4096 addr=BAND1_OUT x=4096 pop_prev
    halt
