#!/usr/bin/env python3
"""Regenerate the SCALE-Sim goldens under Tests/Fixtures/scalesim/.

Runs SCALE-Sim 3.0.0 (the PyPI package) on the shipped 32x32 configuration (configs/scale.cfg)
with each dataflow (ws, os, is) for AlexNet, ResNet-50 (conv form) and ViT-S (GEMM form), and
copies its three reports verbatim into Tests/Fixtures/scalesim/reports/<topology>/<dataflow>/.
It also writes the per-dataflow configurations configs/scale_<df>.cfg (scale.cfg with only
`Dataflow` and `run_name` changed), which the Swift tests pass to `npu run --config`.

Exact command (from the package root):

    python3 -m venv /tmp/scalesim-venv
    /tmp/scalesim-venv/bin/pip install scalesim==3.0.0 "numpy<2.4"
    /tmp/scalesim-venv/bin/python scripts/scalesim/make_goldens.py alexnet vit_s

(Naming no topology runs all three; ResNet-50 then takes hours, as SCALE-Sim's memory model
services every cycle in Python: see compute_goldens.py for its goldens.) Runs go two at a time.

numpy is pinned below 2.4 because SCALE-Sim 3.0.0 converts one-element arrays to Python ints
(`int(max(ofmap_serviced_cycles))` in double_buffered_scratchpad_mem.py), which numpy 2.4 rejects;
the goldens were made with numpy 2.3.5 and Python 3.11.7.

The inputs are SCALE-Sim's own files at tag v3.0.0 of github.com/scalesim-project/SCALE-Sim
(see Tests/Fixtures/scalesim/README.md). Traces are not saved (save_disk_space=True); the layout
file argument is the topology itself, as SCALE-Sim only reads layouts when IfmapCustomLayout or
FilterCustomLayout is True, and scale.cfg sets both False.
"""
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "scalesim")
DATAFLOWS = ["ws", "os", "is"]
# (name, topology file, GEMM form?)
TOPOLOGIES = [("alexnet", "alexnet.csv", False), ("vit_s", "vit_s.csv", True), ("Resnet50", "Resnet50.csv", False)]
REPORTS = ["COMPUTE_REPORT.csv", "BANDWIDTH_REPORT.csv", "DETAILED_ACCESS_REPORT.csv"]


def write_dataflow_config(df):
    """scale.cfg with Dataflow and run_name set for one dataflow."""
    src = os.path.join(FIXTURES, "configs", "scale.cfg")
    dst = os.path.join(FIXTURES, "configs", "scale_%s.cfg" % df)
    lines = []
    with open(src) as f:
        for line in f:
            key = line.split(":")[0].split("=")[0].strip()
            if key == "Dataflow":
                line = "Dataflow : %s\n" % df
            elif key == "run_name":
                line = "run_name = scale_example_run_32x32_%s\n" % df
            lines.append(line)
    with open(dst, "w") as f:
        f.writelines(lines)
    return dst


def run_one(job):
    name, topo_file, gemm, df = job
    from scalesim.scale_sim import scalesim
    config = os.path.join(FIXTURES, "configs", "scale_%s.cfg" % df)
    topology = os.path.join(FIXTURES, "topologies", topo_file)
    with tempfile.TemporaryDirectory() as tmp:
        sim = scalesim(save_disk_space=True, verbose=False, config=config,
                       topology=topology, layout=topology, input_type_gemm=gemm)
        sim.run_scale(top_path=tmp)
        run_dir = os.path.join(tmp, "scale_example_run_32x32_%s" % df)
        out = os.path.join(FIXTURES, "reports", name, df)
        os.makedirs(out, exist_ok=True)
        for report in REPORTS:
            shutil.copy(os.path.join(run_dir, report), os.path.join(out, report))
    return "%s %s done" % (name, df)


def main():
    for df in DATAFLOWS:
        write_dataflow_config(df)
    wanted = sys.argv[1:]
    jobs = [(n, t, g, df) for (n, t, g) in TOPOLOGIES if not wanted or n in wanted for df in DATAFLOWS]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for message in pool.map(run_one, jobs):
            print(message, flush=True)


if __name__ == "__main__":
    main()
