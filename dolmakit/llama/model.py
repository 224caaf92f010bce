"""The LLaMA architecture in one file, for training small proxy models on a data mix.

After nanoGPT's model.py (a dataclass config, small modules, nanoGPT/OLMo initialisation) and
Meta's LLaMA model.py (RMSNorm, precomputed rotary frequencies, `apply_rotary_emb`, `repeat_kv`,
the SwiGLU feed-forward): token embedding, pre-normalisation with RMSNorm, rotary position
embeddings, SwiGLU, no bias terms, optional grouped-query attention, and causal attention through
PyTorch's fused `scaled_dot_product_attention`.

Rotary embeddings use the rotate-half convention of Hugging Face's LlamaForCausalLM (the first and
second halves of each head are the two coordinates of a pair) rather than Meta's interleaved
complex pairs: both compute the same function up to a fixed permutation of the q/k weights, and
this one lets weights move to and from `transformers` unpermuted (the parity test relies on it).

Torch is an optional extra (`pip install dolmakit[model]`): nothing else in dolmakit imports
this package.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from dolmakit.llama.config import PRESETS, ModelConfig, swiglu_hidden_dim

__all__ = ["PRESETS", "ModelConfig", "Transformer", "swiglu_hidden_dim"]


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # normalise in fp32 even under bf16 autocast: the mean of squares loses precision otherwise
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * xf.type_as(x)


def precompute_rope(head_dim: int, max_seq_len: int, theta: float) -> tuple[torch.Tensor, ...]:
    """cos and sin of every (position, frequency), each (max_seq_len, head_dim)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    angles = torch.outer(torch.arange(max_seq_len, dtype=torch.float32), inv_freq)
    angles = torch.cat((angles, angles), dim=-1)  # the same frequency for both halves of a pair
    return angles.cos(), angles.sin()


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_emb(
    q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Rotates q and k, (batch, heads, seq, head_dim), by their positions' angles."""
    cos, sin = cos.to(q.dtype), sin.to(q.dtype)
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def repeat_kv(x: torch.Tensor, n_rep: int) -> torch.Tensor:
    """(batch, kv_heads, seq, head_dim) -> (batch, kv_heads * n_rep, seq, head_dim)."""
    if n_rep == 1:
        return x
    b, h, t, d = x.shape
    return x[:, :, None].expand(b, h, n_rep, t, d).reshape(b, h * n_rep, t, d)


class Attention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.n_heads, self.n_kv_heads, self.head_dim = (
            config.n_heads, config.kv_heads, config.head_dim,
        )  # fmt: skip
        self.wq = nn.Linear(config.dim, config.n_heads * self.head_dim, bias=False)
        self.wk = nn.Linear(config.dim, self.n_kv_heads * self.head_dim, bias=False)
        self.wv = nn.Linear(config.dim, self.n_kv_heads * self.head_dim, bias=False)
        self.wo = nn.Linear(config.n_heads * self.head_dim, config.dim, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        q = self.wq(x).view(b, t, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.wk(x).view(b, t, self.n_kv_heads, self.head_dim).transpose(1, 2)
        v = self.wv(x).view(b, t, self.n_kv_heads, self.head_dim).transpose(1, 2)
        q, k = apply_rotary_emb(q, k, cos, sin)
        # grouped-query attention: each key/value head serves n_heads / n_kv_heads query heads
        n_rep = self.n_heads // self.n_kv_heads
        k, v = repeat_kv(k, n_rep), repeat_kv(v, n_rep)
        # the fused kernel (flash or memory-efficient where available) applies the causal mask
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.wo(y.transpose(1, 2).reshape(b, t, -1))


class FeedForward(nn.Module):
    def __init__(self, dim: int, hidden_dim: int):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden_dim, bias=False)  # gate
        self.w2 = nn.Linear(hidden_dim, dim, bias=False)  # down
        self.w3 = nn.Linear(dim, hidden_dim, bias=False)  # up

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class TransformerBlock(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.attention_norm = RMSNorm(config.dim, config.norm_eps)
        self.attention = Attention(config)
        self.ffn_norm = RMSNorm(config.dim, config.norm_eps)
        self.feed_forward = FeedForward(config.dim, config.ffn_hidden_dim)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        # pre-normalisation: the residual stream itself is never normalised
        x = x + self.attention(self.attention_norm(x), cos, sin)
        return x + self.feed_forward(self.ffn_norm(x))


class Transformer(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.tok_embeddings = nn.Embedding(config.vocab_size, config.dim)
        self.layers = nn.ModuleList(TransformerBlock(config) for _ in range(config.n_layers))
        self.norm = RMSNorm(config.dim, config.norm_eps)
        self.output = nn.Linear(config.dim, config.vocab_size, bias=False)
        cos, sin = precompute_rope(config.head_dim, config.max_seq_len, config.rope_theta)
        # not persistent: derived from the config, so checkpoints need not carry them
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)
        self.apply(self._init_weights)
        # GPT-2/nanoGPT: scale the projections into the residual stream by 1/sqrt(2 * n_layers)
        # so its variance does not grow with depth
        for name, param in self.named_parameters():
            if name.endswith(("attention.wo.weight", "feed_forward.w2.weight")):
                nn.init.normal_(param, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layers))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(
        self, tokens: torch.Tensor, targets: torch.Tensor | None = None
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        """Logits (batch, seq, vocab) for token ids (batch, seq); with targets, (logits, loss).

        targets are the next tokens, already shifted (nanoGPT's convention): targets[:, i] is the
        token after tokens[:, i]. Positions whose target is -100 do not count toward the loss.
        """
        t = tokens.shape[1]
        if t > self.config.max_seq_len:
            raise ValueError(f"sequence of {t} tokens is longer than max_seq_len "
                             f"{self.config.max_seq_len}")  # fmt: skip
        cos, sin = self.rope_cos[:t], self.rope_sin[:t]
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h, cos, sin)
        logits = self.output(self.norm(h))
        if targets is None:
            return logits
        loss = F.cross_entropy(
            logits.float().view(-1, logits.size(-1)), targets.reshape(-1), ignore_index=-100
        )
        return logits, loss

    def num_parameters(self, exclude_embeddings: bool = False) -> int:
        """All parameters; without the input embedding table (a lookup, no matmul) if asked."""
        n = sum(p.numel() for p in self.parameters())
        return n - self.tok_embeddings.weight.numel() if exclude_embeddings else n

    def estimate_flops_per_token(self, seq_len: int | None = None) -> int:
        """Training FLOPs per token: 6N for the matmuls plus the attention scores (PaLM, App. B).

        N leaves out the input embedding (a lookup) but keeps the output projection. Attention
        adds 12 * n_layers * dim * seq_len: QK^T and AV, forward (2 each) and backward (4 each),
        over the full sequence (causal kernels skip about half of it; MFU conventions keep it).
        """
        seq_len = seq_len or self.config.max_seq_len
        n = self.num_parameters(exclude_embeddings=True)
        return 6 * n + 12 * self.config.n_layers * self.config.dim * seq_len
