#!/usr/bin/env python3
"""SCALE-Sim 3.0.0's per-layer compute figures, from its own compute code, without its memory model.

A full SCALE-Sim run (make_goldens.py) services every cycle's requests through its Python
memory model, about half a millisecond per cycle: AlexNet takes minutes per dataflow and
ResNet-50 (5-6 million cycles per dataflow) hours. Its `Total Cycles` is fixed by the compute
part alone when nothing stalls: `service_memory_requests` numbers the demand matrices' rows
(one per cycle) from 0 and reports `max(ofmap_serviced_cycles)`, the last row's number plus the
stall cycles. In InterfaceBandwidth CALC mode (scale.cfg) the read buffers never stall
(`ReadBufferEstimateBw.service_reads` returns each request's cycle plus the hit latency) and the
ofmap buffer drains at the array's width, as fast as the array writes; so Total Cycles is the
demand matrices' row count minus one. This script builds those matrices with SCALE-Sim's own
classes (topology_utils, operand_matrix, systolic_compute_{ws,os,is}), exactly as
single_layer_sim.run does, and records per layer:

    LayerID, Total Cycles, Mapping Efficiency %, Compute Util %, SRAM IFMAP Reads, SRAM Filter Reads, SRAM OFMAP Writes

into Tests/Fixtures/scalesim/compute/<topology>_<dataflow>.csv. The tests check it against the
full runs' reports where both exist (AlexNet, ViT-S), so the shortcut is itself tested.

Exact command (from the package root, after make_goldens.py's venv setup):

    /tmp/scalesim-venv/bin/python scripts/scalesim/compute_goldens.py
"""
import os
import sys

from scalesim.compute.operand_matrix import operand_matrix
from scalesim.compute.systolic_compute_is import systolic_compute_is
from scalesim.compute.systolic_compute_os import systolic_compute_os
from scalesim.compute.systolic_compute_ws import systolic_compute_ws
from scalesim.layout_utils import layouts
from scalesim.scale_config import scale_config
from scalesim.topology_utils import topologies

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures", "scalesim")
DATAFLOWS = ["ws", "os", "is"]
TOPOLOGIES = [("alexnet", "alexnet.csv", False), ("vit_s", "vit_s.csv", True), ("Resnet50", "Resnet50.csv", False)]
SYSTEMS = {"ws": systolic_compute_ws, "os": systolic_compute_os, "is": systolic_compute_is}


def run(name, topo_file, gemm, df):
    config = scale_config()
    config.read_conf_file(os.path.join(FIXTURES, "configs", "scale_%s.cfg" % df))
    topology_path = os.path.join(FIXTURES, "topologies", topo_file)
    topo = topologies()
    topo.load_arrays(topofile=topology_path, mnk_inputs=gemm)
    layout = layouts()
    layout.load_arrays(layoutfile=topology_path, mnk_inputs=gemm)
    lines = ["LayerID, Total Cycles, Mapping Efficiency %, Compute Util %, SRAM IFMAP Reads, SRAM Filter Reads, SRAM OFMAP Writes,"]
    for layer_id in range(topo.get_num_layers()):
        matrices = operand_matrix()
        matrices.set_params(layer_id=layer_id, config_obj=config, topoutil_obj=topo, layoututil_obj=layout)
        _, ifmap = matrices.get_ifmap_matrix()
        _, filters = matrices.get_filter_matrix()
        _, ofmap = matrices.get_ofmap_matrix()
        system = SYSTEMS[df]()
        system.set_params(config_obj=config, ifmap_op_mat=ifmap, filter_op_mat=filters, ofmap_op_mat=ofmap)
        _, _, ofmap_demand = system.get_demand_matrices()
        items = [ofmap_demand.shape[0] - 1,
                 system.get_avg_mapping_efficiency() * 100, system.get_avg_compute_utilization() * 100,
                 system.get_ifmap_requests(), system.get_filter_requests(), system.get_ofmap_requests()]
        lines.append(str(layer_id) + ", " + ", ".join(str(x) for x in items) + ",")
        print(name, df, layer_id, items[0], flush=True)
    out = os.path.join(FIXTURES, "compute")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "%s_%s.csv" % (name, df)), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    wanted = sys.argv[1:]
    for name, topo_file, gemm in TOPOLOGIES:
        if wanted and name not in wanted:
            continue
        for df in DATAFLOWS:
            run(name, topo_file, gemm, df)


if __name__ == "__main__":
    main()
