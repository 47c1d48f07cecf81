"""Experiment (issue 15): is ONNX Runtime faster than torch for the MiniLM encoder on this CPU?

Usage: python scripts/experiments/onnx_runtime.py [--json FILE]   (needs onnxruntime and onnx)

Exports the bundled base encoder to ONNX (torch.onnx, opset 17, dynamic batch and length),
then times torch and ONNX Runtime (2 threads, all graph optimisations) on the same batches:
claim-length inputs (batches of 32 × 48 pieces, the classifier's shape) and tagger windows
(16 × 256). Reports pieces/s and the largest absolute difference of the outputs. Fp32 only:
int8 gave no gain with torch on this CPU (developers' guide), and bf16 is 8× slower.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.lora.base import load_encoder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    import onnxruntime as ort
    import torch

    torch.set_num_threads(2)
    encoder = load_encoder().eval()
    report = {}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "encoder.onnx")
        ids = torch.randint(1000, 20000, (2, 16))

        class Encoder(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = encoder

            def forward(self, input_ids, attention_mask):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

        with torch.no_grad():
            torch.onnx.export(
                Encoder(), (ids, torch.ones_like(ids)), path, input_names=["input_ids", "attention_mask"],
                output_names=["last_hidden_state"], dynamic_axes={"input_ids": {0: "b", 1: "n"}, "attention_mask": {0: "b", 1: "n"},
                                                                  "last_hidden_state": {0: "b", 1: "n"}},
                opset_version=17, dynamo=False,
            )
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        for name, (batch, length, repeats) in {"claims_32x48": (32, 48, 20), "windows_16x256": (16, 256, 4)}.items():
            x = torch.randint(1000, 20000, (batch, length))
            mask = torch.ones_like(x)
            with torch.inference_mode():
                encoder(input_ids=x, attention_mask=mask)
                start = time.perf_counter()
                for _ in range(repeats):
                    reference = encoder(input_ids=x, attention_mask=mask).last_hidden_state.numpy()
                torch_s = (time.perf_counter() - start) / repeats
            feed = {"input_ids": x.numpy(), "attention_mask": mask.numpy()}
            session.run(None, feed)
            start = time.perf_counter()
            for _ in range(repeats):
                output = session.run(None, feed)[0]
            ort_s = (time.perf_counter() - start) / repeats
            report[name] = {
                "torch_pieces_per_s": round(batch * length / torch_s), "onnxruntime_pieces_per_s": round(batch * length / ort_s),
                "speedup": round(torch_s / ort_s, 3), "max_abs_diff": float(np.abs(output - reference).max()),
            }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
