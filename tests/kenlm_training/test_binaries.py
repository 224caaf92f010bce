"""Finding KenLM's tools: $DOLMAKIT_KENLM_BIN, the venv's bin folder, PATH."""

from __future__ import annotations

import sys

import pytest

from dolmakit.core.errors import FatalError
from dolmakit.kenlm_training.binaries import kenlm_tool


def test_missing_tools_point_at_the_build_script(tmp_path, monkeypatch):
    monkeypatch.setenv("DOLMAKIT_KENLM_BIN", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(FatalError, match="scripts/build_kenlm.sh"):
        kenlm_tool("lmplz")


def test_tools_are_found_in_the_folder_the_variable_names(tmp_path, monkeypatch):
    tool = tmp_path / "lmplz"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("DOLMAKIT_KENLM_BIN", str(tmp_path))
    assert kenlm_tool("lmplz") == str(tool)


def test_the_running_pythons_bin_folder_comes_before_path(tmp_path, monkeypatch):
    venv_bin, on_path = tmp_path / "venv", tmp_path / "path"
    for folder in (venv_bin, on_path):
        folder.mkdir()
        (folder / "build_binary").write_text("#!/bin/sh\n")
        (folder / "build_binary").chmod(0o755)
    monkeypatch.delenv("DOLMAKIT_KENLM_BIN", raising=False)
    monkeypatch.setenv("PATH", str(on_path))
    monkeypatch.setattr(sys, "executable", str(venv_bin / "python"))
    assert kenlm_tool("build_binary") == str(venv_bin / "build_binary")
