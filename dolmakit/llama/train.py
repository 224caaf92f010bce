"""Training the proxy model on a mix: `train(mix_dir, TrainConfig(...))`.

nanoGPT's train.py as a function: AdamW (betas 0.9/0.95, weight decay 0.1 on the matrices only:
OLMo leaves norms and the input embedding undecayed), gradient clipping at 1.0, linear warmup
then cosine decay to `min_lr_ratio` of the peak, optional `torch.compile`, fixed seeds.

- Data: `<mix>/train/`, every `<mix>/heldout/<source>/` and the `eval_dirs` through
  MemMapDataset.from_manifest with chunks of seq_len + 1 tokens (inputs and their shifted
  targets). Training batches are chunk indices drawn with replacement by a seeded numpy
  Generator; evaluation reads the same evenly spaced chunks of each held-out set every time.
- Precision: "auto" is bf16 autocast on a CUDA device that supports bf16, fp32 everywhere else
  (CPU included); "bf16" autocasts on any device, CPU too; "fp32" never does.
- Held-out sources that are empty (no manifest, or fewer than seq_len + 1 tokens) are skipped
  with a warning and listed under "skipped_heldout" in the result; the run still trains.
- Checkpoints `<out>/checkpoints/step-NNNNNNNN.pt` (model, optimizer, step, config, model
  config, RNG states) every `checkpoint_every` steps and at the end. A resume refuses a
  checkpoint whose model config or training config (all but the bookkeeping fields: out_dir,
  compile, precision, eval/log/checkpoint intervals) differs, `steps` included: the schedule
  depends on it.
- `<out>/metrics.jsonl`: {"step", "loss", "lr", "tokens_per_s"} every `log_every` steps and
  {"step", "eval": {source: {"loss", "perplexity"}}} at each evaluation; losses in nats/token.
"""

from __future__ import annotations

import json
import logging
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from dolmakit.core.errors import ConfigError
from dolmakit.core.logs import duration
from dolmakit.llama.config import ModelConfig, TrainConfig
from dolmakit.llama.model import Transformer
from dolmakit.tokens.dataset import MemMapDataset
from dolmakit.tokens.shards import MANIFEST, read_manifest

LOG = logging.getLogger("dolmakit")


def lr_at(step: int, config: TrainConfig) -> float:
    """Linear warmup to lr over warmup_steps, then cosine decay to min_lr_ratio * lr."""
    if step < config.warmup_steps:
        return config.lr * (step + 1) / config.warmup_steps
    span = max(1, config.steps - config.warmup_steps)
    progress = min(1.0, (step - config.warmup_steps) / span)
    floor = config.lr * config.min_lr_ratio
    return floor + 0.5 * (config.lr - floor) * (1 + math.cos(math.pi * progress))


# --- data ------------------------------------------------------------------------------------


def load_data(mix_dir: str | Path, config: TrainConfig) -> tuple[dict, MemMapDataset, dict, list]:
    """(train manifest, train dataset, {source: held-out dataset}, skipped sources)."""
    train_dir = Path(mix_dir) / "train"
    manifest = read_manifest(train_dir)
    if config.vocab_size is not None and config.vocab_size != manifest["vocab_size"]:
        raise ConfigError(f"the shards in {train_dir} come from a tokenizer of "
                          f"{manifest['vocab_size']} ids but the model's vocabulary is "
                          f"{config.vocab_size}: use the mix's tokenizer",
                          key="vocab_size")  # fmt: skip
    chunk = config.seq_len + 1  # inputs and their next tokens
    train_set = MemMapDataset.from_manifest(train_dir, chunk, include_instance_metadata=False)
    if len(train_set) == 0:
        longest = max((s["tokens"] for s in manifest["shards"]), default=0)
        raise ConfigError(f"seq_len {config.seq_len} needs {chunk} tokens per sequence but the "
                          f"largest shard of {train_dir} holds {longest}",
                          key="seq_len")  # fmt: skip
    root = Path(mix_dir) / "heldout"
    folders = {f.name: f for f in sorted(root.iterdir())} if root.is_dir() else {}
    if clash := sorted(set(folders) & set(config.eval_dirs)):
        raise ConfigError(f"evaluation set {clash[0]!r} has the name of a held-out source of "
                          f"{mix_dir}: rename it", key="eval_dirs")  # fmt: skip
    folders.update({name: Path(path) for name, path in config.eval_dirs.items()})
    heldout, skipped = {}, []
    for name, folder in folders.items():
        dataset = _heldout_set(folder, manifest, chunk)
        if dataset is None:
            skipped.append(name)
        else:
            heldout[name] = dataset
    if skipped:
        LOG.warning("held-out sources without a sequence of %d tokens, not evaluated: %s",
                    chunk, ", ".join(skipped))  # fmt: skip
    return manifest, train_set, heldout, skipped


def _heldout_set(folder: Path, manifest: dict, chunk: int) -> MemMapDataset | None:
    """The held-out shards in `folder` (None without a manifest or a whole chunk of tokens)."""
    if not (folder / MANIFEST).is_file():
        return None
    other = read_manifest(folder)
    for key in ("vocab_size", "eos_id", "dtype"):
        if other[key] != manifest[key]:
            raise ConfigError(f"{folder}: {key} {other[key]!r} differs from the training "
                              f"shards' {manifest[key]!r}", key=key)  # fmt: skip
    dataset = MemMapDataset.from_manifest(folder, chunk, include_instance_metadata=False)
    return dataset if len(dataset) else None


def batch(dataset: MemMapDataset, indices: np.ndarray, device: torch.device) -> tuple:
    rows = torch.from_numpy(np.stack([dataset[int(i)]["input_ids"] for i in indices]))
    rows = rows.to(device)
    return rows[:, :-1], rows[:, 1:]


# --- the run ---------------------------------------------------------------------------------


def train(mix_dir: str | Path, config: TrainConfig, resume: str | None = None) -> dict:
    """Trains on the mix; returns the final step, train loss and per-source held-out results.

    resume: a checkpoint path, or "latest" for the newest one under out_dir (none: start)."""
    manifest, train_set, heldout, skipped = load_data(mix_dir, config)
    model_config = config.model_config(manifest["vocab_size"])
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(config.seed)
    model = Transformer(model_config).to(device)
    optimizer = make_optimizer(model, config, device)
    rng = np.random.default_rng(config.seed)
    out = Path(config.out_dir)
    (out / "checkpoints").mkdir(parents=True, exist_ok=True)
    step = 0
    path = find_latest(out) if resume == "latest" else resume
    if path:
        step = load_checkpoint(path, model, optimizer, rng, config, model_config)
        LOG.info("resumed from %s at step %d", path, step)
    runner = torch.compile(model) if config.compile else model
    autocast = _autocast(config.precision, device)
    result = {"step": step, "train_loss": None, "eval": {}, "skipped_heldout": skipped}
    with _stop_on_signals() as stops, _metrics_log(out) as metrics:
        tokens, clock = 0, time.monotonic()
        began = (step, clock)  # this launch's pace: a resumed run's earlier steps do not count
        while step < config.steps:
            lr = lr_at(step, config)
            indices = rng.integers(0, len(train_set), config.batch_size)
            inputs, targets = batch(train_set, indices, device)
            loss = train_step(runner, optimizer, inputs, targets, lr, config.grad_clip, autocast)
            step += 1
            tokens += inputs.numel()
            result.update(step=step, train_loss=loss)
            last = step == config.steps
            if step % config.log_every == 0 or last:
                rate = tokens / max(time.monotonic() - clock, 1e-9)
                _write(metrics, step=step, loss=loss, lr=lr, tokens_per_s=rate)
                left = time_left(step, config.steps, began, time.monotonic())
                _progress(progress_line(step, config.steps, loss, lr, rate, left))
                tokens, clock = 0, time.monotonic()
            if heldout and (step % config.eval_every == 0 or last):
                result["eval"] = evaluate(runner, heldout, config, device, autocast)
                _write(metrics, step=step, eval=result["eval"])
            if step % config.checkpoint_every == 0 or last or stops:
                result["checkpoint"] = str(save_checkpoint(out, step, model, optimizer, rng,
                                                           config, model_config))  # fmt: skip
            if stops and not last:
                result["stopped"] = signal.Signals(stops[0]).name
                LOG.warning("%s at step %d: wrote %s; go on with resume='latest'",
                            result["stopped"], step, result["checkpoint"])  # fmt: skip
                break
    return result


def train_step(runner, optimizer, inputs: torch.Tensor, targets: torch.Tensor, lr: float,
               grad_clip: float, autocast) -> float:  # fmt: skip
    """One optimizer step at learning rate `lr`; the batch's loss."""
    for group in optimizer.param_groups:
        group["lr"] = lr
    with autocast:
        _, loss = runner(inputs, targets)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(runner.parameters(), grad_clip)
    optimizer.step()
    return loss.item()


@contextmanager
def _metrics_log(out: Path) -> Iterator:
    with open(out / "metrics.jsonl", "a", encoding="utf-8") as stream:
        try:
            yield stream
        finally:
            if sys.stderr.isatty() and LOG.isEnabledFor(logging.INFO):  # end the progress line
                sys.stderr.write("\n")


@contextmanager
def _stop_on_signals() -> Iterator[list[int]]:
    """SIGTERM (a preempted machine, a scheduler's time limit) or SIGINT during training: the
    step under way finishes, a checkpoint is written and train() returns with "stopped", instead
    of losing everything since the last checkpoint. Yields the signals received."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():  # handlers: main thread only
        yield received
        return
    previous = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    for number in previous:
        signal.signal(number, lambda got, _frame: received.append(got))
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def make_optimizer(model: Transformer, config: TrainConfig, device: torch.device):
    """AdamW; weight decay on the 2-D weights of the linear layers only (OLMo's default): not on
    the RMSNorm gains and not on the input embedding, a lookup table."""
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        (decay if param.dim() >= 2 and name != "tok_embeddings.weight" else no_decay).append(param)
    groups = [{"params": decay, "weight_decay": config.weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]  # fmt: skip
    fused = device.type == "cuda"
    return torch.optim.AdamW(groups, lr=config.lr, betas=config.betas, fused=fused)


@torch.no_grad()
def evaluate(model, heldout: dict, config: TrainConfig, device: torch.device, autocast) -> dict:
    """Mean loss per token and perplexity of each held-out source, on the same chunks each time:
    eval_batches * batch_size evenly spaced chunks (all of them when fewer)."""
    was_training = model.training
    model.eval()
    results = {}
    for source, dataset in heldout.items():
        n = min(len(dataset), config.eval_batches * config.batch_size)
        indices = np.unique(np.linspace(0, len(dataset) - 1, n).round().astype(np.int64))
        total, count = 0.0, 0
        for start in range(0, len(indices), config.batch_size):
            part = indices[start : start + config.batch_size]
            inputs, targets = batch(dataset, part, device)
            with autocast:
                _, loss = model(inputs, targets)
            total += loss.item() * len(part)
            count += len(part)
        mean = total / count
        results[source] = {"loss": mean, "perplexity": math.exp(min(mean, 700.0))}
    model.train(was_training)
    return results


def _autocast(precision: str, device: torch.device):
    cuda_bf16 = device.type == "cuda" and torch.cuda.is_bf16_supported()
    enabled = precision == "bf16" or (precision == "auto" and cuda_bf16)
    return torch.autocast(device.type, dtype=torch.bfloat16, enabled=enabled)


def _write(stream, **record) -> None:
    stream.write(json.dumps(record) + "\n")
    stream.flush()


def time_left(step: int, steps: int, began: tuple[int, float], now: float) -> float:
    """Seconds to the last step at the pace of this launch's steps so far."""
    first, clock = began
    return (steps - step) * (now - clock) / max(step - first, 1)


def progress_line(step: int, steps: int, loss: float, lr: float, rate: float,
                  left: float) -> str:  # fmt: skip
    return (f"step {step}/{steps}  loss {loss:.4f}  lr {lr:.2e}  {rate:,.0f} tok/s  "
            f"ETA {duration(left)}")  # fmt: skip


def _progress(line: str) -> None:
    """Redrawn in place on a terminal (erased to its end: a shorter line leaves nothing of the
    last), a log line otherwise; nothing under --quiet."""
    if not LOG.isEnabledFor(logging.INFO):
        return
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{line}\x1b[K")
        sys.stderr.flush()
    else:
        LOG.info(line)


# --- checkpoints -----------------------------------------------------------------------------


def save_checkpoint(out: Path, step: int, model, optimizer, rng: np.random.Generator,
                    config: TrainConfig, model_config: ModelConfig) -> Path:  # fmt: skip
    path = out / "checkpoints" / f"step-{step:08d}.pt"
    state = {
        "step": step,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "config": config.identity(),
        "model_config": asdict(model_config),
        "rng": {"numpy": rng.bit_generator.state, "torch": torch.get_rng_state()},
    }
    temp = path.with_name(f".{path.name}.tmp")
    torch.save(state, temp)
    os.replace(temp, path)  # a checkpoint that exists is complete
    return path


def find_latest(out: Path) -> Path | None:
    found = sorted((out / "checkpoints").glob("step-*.pt"))
    return found[-1] if found else None


def load_checkpoint(path: str | Path, model, optimizer, rng: np.random.Generator,
                    config: TrainConfig, model_config: ModelConfig) -> int:  # fmt: skip
    """Restores the state saved at a step and returns that step; a ConfigError when the
    checkpoint was made with another model or training config."""
    if not Path(path).is_file():
        raise ConfigError(f"checkpoint not found: {path}", key="resume")
    state = torch.load(path, map_location="cpu", weights_only=True)
    saved = {"model_config." + k: v for k, v in state["model_config"].items()}
    saved.update(state["config"])
    current = {"model_config." + k: v for k, v in asdict(model_config).items()}
    current.update(config.identity())
    differ = [f"{k} {saved.get(k)!r} != {current.get(k)!r}"
              for k in sorted(set(saved) | set(current))
              if _plain(saved.get(k)) != _plain(current.get(k))]  # fmt: skip
    if differ:
        raise ConfigError(f"checkpoint {path} is of another config (saved != now): "
                          + "; ".join(differ), key="resume")  # fmt: skip
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    rng.bit_generator.state = state["rng"]["numpy"]
    torch.set_rng_state(state["rng"]["torch"])
    return state["step"]


def _plain(value):
    return list(value) if isinstance(value, tuple) else value
