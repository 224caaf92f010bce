"""`dolmakit classifier`: train and evaluate fastText quality classifiers."""

from __future__ import annotations

import click


@click.group()
def classifier() -> None:
    """Train and evaluate fastText quality classifiers."""
