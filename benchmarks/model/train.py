"""Training throughput of the tiny preset on CPU: eager fp32 vs torch.compile with bf16 autocast.

    python -m benchmarks.model.train [--steps 20] [--warmup 5]

Batch 8 x 256 random tokens, AdamW as dolmakit.llama.train builds it, the tiny preset at the
8,192-piece vocabulary `dolmakit ablate` trains its tokenizer with (--vocab to change it);
warm-up steps (compilation included) are not timed. Reference figures from the issue
(7.5M-parameter LLaMA, 2 cores): about 4.3k tokens/s eager fp32 and 12k compiled bf16. If
torch.compile fails here, its error is printed and the eager bf16 figure is reported instead,
labelled as such.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

import torch

from dolmakit.llama.model import Transformer
from dolmakit.llama.train import TrainConfig, make_optimizer, train_step

BATCH, SEQ_LEN = 8, 256
REFERENCE = {"eager fp32": 4300, "compiled bf16": 12000}


def tokens_per_s(model_config, compiled: bool, bf16: bool, steps: int, warmup: int) -> float:
    torch.manual_seed(0)
    model = Transformer(model_config)
    optimizer = make_optimizer(model, TrainConfig(), torch.device("cpu"))
    runner = torch.compile(model) if compiled else model
    autocast = torch.autocast("cpu", dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()
    data = torch.randint(0, model_config.vocab_size, (steps + warmup, BATCH, SEQ_LEN + 1))
    for i in range(steps + warmup):
        if i == warmup:
            started = time.perf_counter()
        train_step(runner, optimizer, data[i, :, :-1], data[i, :, 1:], 1e-3, 1.0, autocast)
    return steps * BATCH * SEQ_LEN / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="timed steps per variant")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps first")
    parser.add_argument("--vocab", type=int, default=8192, help="the tokenizer's pieces")
    args = parser.parse_args()
    model_config = TrainConfig(preset="tiny", seq_len=SEQ_LEN).model_config(args.vocab)
    params = sum(p.numel() for p in Transformer(model_config).parameters())
    print(f"tiny preset: {params / 1e6:.2f}M parameters (vocab {model_config.vocab_size:,}), "
          f"batch {BATCH} x {SEQ_LEN}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    eager = tokens_per_s(model_config, False, False, args.steps, args.warmup)
    print(f"eager fp32:      {eager:8,.0f} tokens/s  (issue: ~{REFERENCE['eager fp32']:,})")
    try:
        fast = tokens_per_s(model_config, True, True, args.steps, args.warmup)
        label = "compiled bf16:"
    except Exception as error:  # noqa: BLE001 - any compiler failure: report and fall back
        print(f"torch.compile failed: {type(error).__name__}: {str(error)[:500]}")
        fast = tokens_per_s(model_config, False, True, args.steps, args.warmup)
        label = "EAGER bf16 (compile failed):"
    print(f"{label:<16} {fast:8,.0f} tokens/s  (issue: ~{REFERENCE['compiled bf16']:,} "
          f"compiled bf16); {fast / eager:.2f}x eager fp32")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
