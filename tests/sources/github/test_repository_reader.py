"""Tests for the code_repository reader: checkouts on disk, the shipped ones and made ones."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.inputs import expand_inputs
from dolmakit.io.readers import ReadConfig
from dolmakit.sources.github.repository_reader import (
    CodeRepositoryReader,
    _read_up_to,
    repository_licence,
)

REPOS = REPO / "samples" / "github" / "repos"
MIT = (
    "Permission is hereby granted, free of charge, to any person obtaining a copy ...\n"
    "The above copyright notice and this permission notice shall be included in all copies."
)
APACHE = "Licensed under the Apache License, Version 2.0 (the \"License\");\n"  # fmt: skip


def reader(**options) -> CodeRepositoryReader:
    return CodeRepositoryReader(ReadConfig(options=options), "github", "2024-06-01")


def make(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        (root / name).write_bytes(data)
    return root


def outcome(item) -> str:
    if isinstance(item, Document):
        return item.metadata["path"]
    if isinstance(item, Removed):
        return f"removed {item.reason}"
    return f"error {item.kind} {item.location['path']}"


def test_shipped_mit_checkout() -> None:
    items = list(reader().read(str(REPOS / "acme-labs" / "tinyjson")))
    assert [outcome(item) for item in items] == [
        "LICENSE",
        "README.md",
        "error binary_file docs/logo.png",
        "scripts/release.sh",
        "static/tinyjson.min.js",
        "tests/test_parser.py",
        "tinyjson/__init__.py",
        "tinyjson/parser.py",
        "tinyjson/py.typed",
    ]  # fmt: skip  (node_modules skipped)
    parser = items[7]
    assert parser.id == "acme-labs/tinyjson:tinyjson/parser.py"
    assert parser.metadata == {
        "repository": "acme-labs/tinyjson", "path": "tinyjson/parser.py", "licence": "MIT",
        "language": "Python", "bytes": len(parser.text.encode()),
        "url": "https://github.com/acme-labs/tinyjson/blob/HEAD/tinyjson/parser.py"}  # fmt: skip
    assert parser.text.startswith("# Copyright (c) 2024 Acme Labs\n")
    logo = items[2]
    assert logo.location["file"] == str(REPOS / "acme-labs" / "tinyjson" / "docs" / "logo.png")
    assert logo.cause == "NUL byte at offset 8"


@pytest.mark.parametrize(
    ("owner_name", "licence"),
    [("northwind/kvstore", "Apache-2.0"), ("quill-tools/gplnotes", "GPL-3.0"),
     ("solo-dev/scratch", "unknown")],
)  # fmt: skip
def test_shipped_licences(owner_name: str, licence: str) -> None:
    assert repository_licence(str(REPOS / owner_name)) == licence


def test_several_licence_files_and_odd_names(tmp_path: Path) -> None:
    dual = make(tmp_path / "dual", {"LICENSE-MIT": MIT, "LICENSE-APACHE": APACHE, "x.rs": ""})
    assert repository_licence(str(dual)) == "Apache-2.0 AND MIT"
    british = make(tmp_path / "british", {"Licence.md": MIT, "LICENSES.txt": "see headers"})
    assert repository_licence(str(british)) == "MIT"  # LICENSES is not a licence file
    nested = make(tmp_path / "nested", {"docs/LICENSE": MIT})  # only the top counts
    assert repository_licence(str(nested)) == "unknown"


def test_name_depth_ref_and_size_limit(tmp_path: Path) -> None:
    root = make(tmp_path / "mirror" / "team" / "tool", {"LICENSE": MIT, "big.py": "x" * 201,
                                                        "ok.py": "y = 2\n"})  # fmt: skip
    items = list(reader(name_depth=3, ref="v2", max_file_bytes=200).read(str(root) + "/"))
    license_file, big, ok = items
    assert license_file.metadata["repository"] == "mirror/team/tool"
    assert "url" not in license_file.metadata  # three parts: not a GitHub owner/name
    assert isinstance(big, Removed) and (big.step, big.reason) == ("read", "too_large")
    assert big.doc.text == "" and big.doc.metadata["bytes"] == 201
    one = list(reader(name_depth=1, ref="v2").read(str(root)))[2]
    assert (one.id, one.text, "url" in one.metadata) == ("tool:ok.py", "y = 2\n", False)
    two = list(reader(ref="v2").read(str(root)))[2]
    assert two.metadata["url"] == "https://github.com/team/tool/blob/v2/ok.py"


def test_undecodable_and_vendored(tmp_path: Path) -> None:
    root = make(tmp_path / "o" / "r", {"a.c": b"/* caf\xe9 */\n", "vendor/lib.c": "int v;\n",
                                       "third_party/x.c": "int t;\n"})  # fmt: skip
    items = list(reader(skip_dirs=["third_party"]).read(str(root)))
    assert [outcome(item) for item in items] == ["error binary_file a.c", "vendor/lib.c"]
    assert items[0].cause.startswith("not UTF-8")


def test_a_file_is_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "f.py").write_text("")
    (error,) = reader().read(str(tmp_path / "f.py"))
    assert isinstance(error, ErrorRecord) and error.kind == "not_a_directory"


def test_globs_match_repository_folders(tmp_path: Path) -> None:
    make(tmp_path, {"o1/a/x.py": "", "o1/b/y.py": "", "o2/c/z.py": "", "o2/README": ""})
    files = expand_inputs([str(tmp_path / "*" / "*")], None, "", "code_repository", "p.yaml")
    assert [(Path(f.path).relative_to(tmp_path).as_posix(), f.format) for f in files] == [
        ("o1/a", "code_repository"),
        ("o1/b", "code_repository"),
        ("o2/c", "code_repository"),
    ]
    with pytest.raises(ConfigError, match="no folders match"):
        expand_inputs([str(tmp_path / "*.py")], None, "", "code_repository", "p.yaml")


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
               "-c", "init.defaultBranch=main", *args]  # fmt: skip
    done = subprocess.run(command, cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_real_git_checkout(tmp_path: Path) -> None:
    root = make(tmp_path / "clones" / "local-name", {"LICENSE": MIT, "src/app.py": "run()\n"})
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    _git(root, "remote", "add", "origin", "git@github.com:real-owner/real-repo.git")
    commit = _git(root, "rev-parse", "HEAD")
    items = list(reader().read(str(root)))
    assert [item.metadata["path"] for item in items] == ["LICENSE", "src/app.py"]  # no .git
    app = items[1]
    assert app.id == "real-owner/real-repo:src/app.py"
    assert (
        app.metadata["url"] == f"https://github.com/real-owner/real-repo/blob/{commit}/src/app.py"
    )
    _git(root, "pack-refs", "--all")  # the branch now lives in packed-refs only
    assert list(reader().read(str(root)))[1].metadata["url"].split("/")[6] == commit
    by_path = list(reader(name_from_git=False).read(str(root)))[1]
    assert by_path.metadata["repository"] == "clones/local-name"


def test_a_file_grown_since_the_walk_is_read_to_the_limit() -> None:
    assert _read_up_to(io.BytesIO(b"0123456789"), 4, 100) == b"0123456789"
    assert _read_up_to(io.BytesIO(b"0123456789"), 4, 6) == b"0123456"  # limit + 1: too large
    assert _read_up_to(io.BytesIO(b"0123"), 4, 100) == b"0123"
