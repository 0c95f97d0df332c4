#!/usr/bin/env python3
"""Writes the .npy fixtures of NumpyArrayTests into Tests/Fixtures/npy/, with NumPy itself.

Run from anywhere (written with Python 3.11.7 and numpy 2.4.6):

    python3 scripts/onnx/make_npy_fixtures.py

The values are closed-form so that the Swift tests can state them; each file is a few hundred
bytes. The output is deterministic: running the script again rewrites identical bytes. The tests
also check that NumpyArray writes these files byte for byte, so a NumPy that pads its headers
differently would show there.
"""
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "npy"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    nan, inf = float("nan"), float("inf")
    arrays = {
        # 4-d float32: v * 0.25 - 7 for v = 0..119.
        "f4_4d": np.arange(120, dtype="<f4").reshape(2, 3, 4, 5) * np.float32(0.25) - np.float32(7),
        # float16 corner cases: signed zeros, the largest finite, infinities, NaN, the smallest
        # subnormal and normal, and values that round.
        "f2_special": np.array([0.0, -0.0, 1.0, -2.5, 65504.0, -65504.0, inf, -inf, nan,
                                2.0**-24, 2.0**-14, 0.1, 1 / 3], dtype="<f2"),
        # NumPy's default float type; 1e300 overflows float32.
        "f8_1d": np.array([1.5, -0.1, 1e300, 2.0**-30], dtype="<f8"),
        "i1_1d": np.array([-128, -1, 0, 1, 127], dtype="|i1"),
        "u1_2d": np.array([[0, 1, 255], [128, 7, 9]], dtype="|u1"),
        "b1_1d": np.array([True, False, True, True]),
        "i4_0d": np.array(-123456789, dtype="<i4"),
        "i8_1d": np.array([-2**63, -1, 0, 2**63 - 1, 2**53 + 1], dtype="<i8"),
        "f4_empty": np.zeros((0, 3), dtype="<f4"),
        # Rejected: big-endian data, object arrays (pickled), structured dtypes.
        "f4_bigendian": np.array([1.0, 2.0], dtype=">f4"),
        "object": np.array([1, "a"], dtype=object),
        "structured": np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]),
    }
    for name, array in arrays.items():
        np.save(OUT / f"{name}.npy", array, allow_pickle=True)
    # Same 2x3 float32 values [0.5, 1, ..., 3] in every header version and in Fortran order.
    matrix = np.arange(1, 7, dtype="<f4").reshape(2, 3) / np.float32(2)
    for version in [(2, 0), (3, 0)]:
        with open(OUT / f"f4_v{version[0]}.npy", "wb") as file:
            np.lib.format.write_array(file, matrix, version=version)
    np.save(OUT / "f4_fortran.npy", np.asfortranarray(matrix))


if __name__ == "__main__":
    main()
