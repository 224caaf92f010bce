"""The proxy model's and its training's settings, without torch: the command line reads their
defaults (and `--help` shows them) where torch, an optional extra, is not installed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace

from dolmakit.core.errors import ConfigError


@dataclass
class ModelConfig:
    vocab_size: int
    dim: int
    n_layers: int
    n_heads: int
    n_kv_heads: int | None = None  # fewer than n_heads: grouped-query attention; None: n_heads
    multiple_of: int = 64  # SwiGLU hidden size is rounded up to a multiple of this
    ffn_dim_multiplier: float | None = None
    norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    max_seq_len: int = 2048

    def __post_init__(self) -> None:
        for name in ("vocab_size", "dim", "n_layers", "n_heads", "multiple_of", "max_seq_len"):
            if getattr(self, name) < 1:
                raise ConfigError(f"must be positive: {getattr(self, name)}", key=name)
        if self.dim % self.n_heads:
            raise ConfigError(f"dim {self.dim} is not a multiple of n_heads {self.n_heads}",
                              key="dim")  # fmt: skip
        if self.head_dim % 2:
            raise ConfigError(f"head size {self.head_dim} must be even for rotary embeddings",
                              key="n_heads")  # fmt: skip
        if self.n_kv_heads is not None and (self.n_kv_heads < 1 or self.n_heads % self.n_kv_heads):
            raise ConfigError(f"must divide n_heads {self.n_heads}: {self.n_kv_heads}",
                              key="n_kv_heads")  # fmt: skip

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads

    @property
    def kv_heads(self) -> int:
        return self.n_kv_heads or self.n_heads

    @property
    def ffn_hidden_dim(self) -> int:
        return swiglu_hidden_dim(self.dim, self.multiple_of, self.ffn_dim_multiplier)


def swiglu_hidden_dim(dim: int, multiple_of: int = 64, multiplier: float | None = None) -> int:
    """LLaMA's rule: 2/3 of 4*dim keeps SwiGLU's three matrices at the cost of a 4*dim MLP's two."""
    hidden = int(2 * (4 * dim) / 3)
    if multiplier is not None:
        hidden = int(multiplier * hidden)
    # padded up to the nearest multiple for efficient matrix shapes
    return multiple_of * ((hidden + multiple_of - 1) // multiple_of)


# The vocabulary is the shards' (these are defaults for a model built without shards). `tiny`
# is 7.4M parameters at the 8,192 pieces `dolmakit ablate` trains its tokenizer with: at
# LLaMA's 32,000 pieces, a 128-wide model would spend about 80% of its FLOPs in the output
# layer and learn little else per second. `small` is about GPT-2 small's shape.
PRESETS: dict[str, ModelConfig] = {
    "tiny": ModelConfig(vocab_size=8192, dim=256, n_layers=4, n_heads=4),
    "small": ModelConfig(vocab_size=32000, dim=768, n_layers=12, n_heads=12),
}


PRECISIONS = ("auto", "fp32", "bf16")
# fields that do not change what is computed: a resume may change them
_BOOKKEEPING = {"out_dir", "compile", "precision", "eval_every", "eval_batches",
                "checkpoint_every", "log_every", "eval_dirs"}  # fmt: skip


@dataclass
class TrainConfig:
    preset: str = "tiny"
    seq_len: int = 256
    batch_size: int = 16
    steps: int = 1000
    lr: float = 1e-3
    warmup_steps: int = 100
    min_lr_ratio: float = 0.1
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.95)
    grad_clip: float = 1.0
    seed: int = 0
    eval_every: int = 200
    eval_batches: int = 8
    checkpoint_every: int = 500
    log_every: int = 10
    compile: bool = False
    precision: str = "auto"
    out_dir: str = "train-out"
    vocab_size: int | None = None  # None: the shards' manifest's; else it must match it
    model_overrides: dict = field(default_factory=dict)  # e.g. {"dim": 64, "n_layers": 2}
    # name -> folder of token shards (same tokenizer) evaluated beside the mix's held-out
    # sources: one text that every mix of an ablation is measured on
    eval_dirs: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.betas = tuple(self.betas)
        if self.preset not in PRESETS:
            raise ConfigError(f"unknown preset {self.preset!r}; available: "
                              f"{', '.join(PRESETS)}", key="preset")  # fmt: skip
        if self.precision not in PRECISIONS:
            raise ConfigError(f"must be one of {', '.join(PRECISIONS)}: {self.precision!r}",
                              key="precision")  # fmt: skip
        for name in ("seq_len", "batch_size", "steps", "eval_every", "eval_batches",
                     "checkpoint_every", "log_every"):  # fmt: skip
            if getattr(self, name) < 1:
                raise ConfigError(f"must be positive: {getattr(self, name)}", key=name)
        if self.lr <= 0 or self.warmup_steps < 0 or not 0 <= self.min_lr_ratio <= 1:
            raise ConfigError("lr must be positive, warmup_steps >= 0, min_lr_ratio in [0, 1]",
                              key="lr")  # fmt: skip

    def model_config(self, vocab_size: int) -> ModelConfig:
        unknown = set(self.model_overrides) - {f.name for f in fields(ModelConfig)}
        if unknown:
            raise ConfigError(f"not ModelConfig fields: {', '.join(sorted(unknown))}",
                              key="model_overrides")  # fmt: skip
        base = PRESETS[self.preset]
        return replace(base, **{"vocab_size": vocab_size, "max_seq_len": self.seq_len,
                                **self.model_overrides})  # fmt: skip

    def identity(self) -> dict:
        """The fields a resumed run must share with its checkpoint."""
        return {k: v for k, v in asdict(self).items() if k not in _BOOKKEEPING}
