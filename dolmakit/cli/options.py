"""Click options that more than one command takes, each defined once (the help says what the
command does with it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable)

# an existing file, as a Path
INPUT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def input_files(name: str, help_text: str, dest: str | None = None) -> Callable[[F], F]:
    """A repeatable option naming existing files (a tuple of Paths)."""
    declarations = (name, dest) if dest else (name,)
    return click.option(*declarations, multiple=True, type=INPUT_FILE, help=help_text)


def wikipedia_text(dump_help: str, wikitext_help: str) -> Callable[[F], F]:
    """--dump (MediaWiki XML dumps, as `dumps`) and --wikitext (WikiText-103 .tokens files):
    the Wikipedia text of the classifier's wikipedia recipe and of the English language model."""

    def decorate(command: F) -> F:
        command = input_files("--wikitext", wikitext_help)(command)
        return input_files("--dump", dump_help, dest="dumps")(command)

    return decorate
