"""`dolmakit lm`: train KenLM perplexity models and compute their bucket cutoffs."""

from __future__ import annotations

import click


@click.group()
def lm() -> None:
    """Train SentencePiece + KenLM models and compute perplexity cutoffs."""
