"""Tests for dolmakit.sources.github.walk: order, skipped folders, links."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from dolmakit.sources.github.walk import FileEntry, WalkError, walk_files


def make(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def paths(root: Path, skip=frozenset({"node_modules"}), stats=None) -> list[str]:
    return [e.path for e in walk_files(str(root), skip, stats if stats is not None else Counter())]


def test_sorted_depth_first_and_vcs_and_vendored_skipped(tmp_path: Path) -> None:
    make(tmp_path, {"b.py": "", "a/z.py": "", "a/b/c.py": "", "A.md": "", ".git/HEAD": "",
                    ".hg/store": "", "node_modules/x/i.js": "", "src/node_modules/y.js": "",
                    ".github/workflows/ci.yml": "", "sub/.git": "gitdir: ../.git/modules/sub",
                    "sub/.gitmodules": ""})  # fmt: skip
    stats: Counter[str] = Counter()
    assert paths(tmp_path, stats=stats) == [
        ".github/workflows/ci.yml", "A.md", "a/b/c.py", "a/z.py", "b.py",
        "sub/.gitmodules"]  # fmt: skip
    assert stats == {"vcs_dirs_skipped": 3, "vendored_dirs_skipped": 2}


def test_sizes_and_full_paths(tmp_path: Path) -> None:
    make(tmp_path, {"pkg/mod.py": "x = 1\n"})
    (entry,) = walk_files(str(tmp_path), frozenset(), Counter())
    assert entry == FileEntry("pkg/mod.py", str(tmp_path / "pkg" / "mod.py"), 6)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symbolic_links_are_not_followed(tmp_path: Path) -> None:
    outside = make(tmp_path / "outside", {"secret.txt": "x"})
    repo = make(tmp_path / "repo", {"real.py": ""})
    (repo / "link.py").symlink_to(repo / "real.py")
    (repo / "escape").symlink_to(outside, target_is_directory=True)
    (repo / "loop").symlink_to(repo, target_is_directory=True)
    stats: Counter[str] = Counter()
    assert paths(repo, stats=stats) == ["real.py"]
    assert stats["symlinks_skipped"] == 3


def test_unreadable_folder_is_reported_and_the_walk_goes_on(tmp_path: Path, monkeypatch) -> None:
    make(tmp_path, {"a/x.py": "", "b.py": ""})
    scandir = os.scandir

    def refuse_a(path):  # chmod 0 does not stop root, who runs CI: refuse the folder instead
        if Path(path) == tmp_path / "a":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_a)
    items = list(walk_files(str(tmp_path), frozenset(), Counter()))
    assert isinstance(items[0], WalkError) and items[0].path == "a"
    assert "PermissionError" in items[0].cause
    assert [item.path for item in items[1:]] == ["b.py"]


def test_missing_root_is_a_walk_error(tmp_path: Path) -> None:
    (error,) = walk_files(str(tmp_path / "nope"), frozenset(), Counter())
    assert isinstance(error, WalkError) and "FileNotFoundError" in error.cause
