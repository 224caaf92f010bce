"""The proxy model that proves a data mix: the LLaMA architecture in PyTorch.

Needs the `model` extra (torch). Nothing else in dolmakit imports this package, so the rest of
dolmakit works without torch.

ModelConfig(vocab_size, dim, n_layers, n_heads, n_kv_heads=None, ...)   the architecture
PRESETS["tiny" | "small"]                                               named configs
Transformer(config)(tokens, targets=None) -> logits | (logits, loss)    the model
"""

from dolmakit.model.model import PRESETS, ModelConfig, Transformer, swiglu_hidden_dim

__all__ = ["PRESETS", "ModelConfig", "Transformer", "swiglu_hidden_dim"]
