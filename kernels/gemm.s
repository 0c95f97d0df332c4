; gemm.s — one GEMM tile on the systolic array.
;   C[32x32] (int32) = A[32x64] (int8) x B[64x32] (int8), on the edge preset (32x32 int8 array).
; The tile is the matrix unit's 1x1-kernel case: A is 32 "pixels" of 64 channels, B is
; 64 rows (c) of 32 output channels (k).
.config edge
.input  A addr=0x0000 shape=32x64 type=i8
.input  B addr=0x1000 shape=64x32 type=i8
.output C addr=0x2000 shape=32x32 type=i32
.check  C = gemm(A, B)

    cfg.dtype dtype=int8
    load  buf=nbin type=i8 dram=0x0000 addr=0 x=2048               ; A, 2 KiB contiguous
    load  buf=sb   type=i8 dram=0x1000 addr=0 x=2048 push_next     ; B; token: operands ready
    matmul in=0 w=0 out=0 in_w=32 c=64 out_w=32 k=32 pop_prev push_next
    store buf=nbout type=i32 dram=0x2000 addr=0 x=1024 pop_prev    ; C, 4 KiB
    halt
