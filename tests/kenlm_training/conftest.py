"""Fixtures of the KenLM tests: real text, the shipped reference model, and KenLM's tools."""

from __future__ import annotations

import argparse
import collections
import inspect
import json
import logging
import pathlib
import shutil
import subprocess
import textwrap
import unittest
from pathlib import Path

import pytest

from dolmakit.kenlm_models.kenlm import default_model_dir
from dolmakit.kenlm_training.binaries import BUILD_SCRIPT, find_kenlm_tool

DATA = Path(__file__).resolve().parent / "data"
BOILERPLATE = DATA / "boilerplate.txt"


@pytest.fixture
def kenlm_tools() -> None:
    """Skips a test that trains when lmplz/build_binary are not built."""
    missing = [name for name in ("lmplz", "build_binary") if find_kenlm_tool(name) is None]
    if missing:
        pytest.skip(f"KenLM's {', '.join(missing)} not built: run {BUILD_SCRIPT}")


def docstring_paragraphs() -> list[str]:
    """A few hundred lines of real English prose, with no download: the paragraphs of the
    docstrings of some standard-library modules."""
    lines = []
    for module in (argparse, json, collections, pathlib, shutil, subprocess, logging, textwrap,
                   unittest):  # fmt: skip
        for _, obj in sorted(vars(module).items()):
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if not getattr(obj, "__module__", "").startswith(module.__name__):
                continue
            for paragraph in (inspect.getdoc(obj) or "").split("\n\n"):
                paragraph = " ".join(paragraph.split())
                if len(paragraph) > 40 and not paragraph.startswith((">>>", "-")):
                    lines.append(paragraph)
    return lines


@pytest.fixture(scope="session")
def prose_lines() -> list[str]:
    return docstring_paragraphs()


@pytest.fixture
def corpus_file(tmp_path, prose_lines) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(prose_lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def model_dir(tmp_path) -> Path:
    """A writable copy of the shipped English model (cutoffs tests write cutoffs.json)."""
    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder)
    return folder
