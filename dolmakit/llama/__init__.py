"""The LLaMA reference model and its training loop (needs the `model` extra: torch).

Names load lazily: `dolmakit.cli.train` is imported by the CLI, which must work without torch;
dolmakit.llama.config (the settings) imports no torch.
"""

__all__ = ["PRESETS", "ModelConfig", "Transformer", "swiglu_hidden_dim"]


def __getattr__(name: str):
    if name == "Transformer":
        from dolmakit.llama import model

        return model.Transformer
    if name in __all__:
        from dolmakit.llama import config

        return getattr(config, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
