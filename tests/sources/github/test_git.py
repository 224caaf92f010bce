"""Tests for dolmakit.sources.github.git: origin and HEAD read from .git files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dolmakit.sources.github.git import git_dir, github_origin, head_commit

SHA = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"
OTHER = "1f7a2c9e0d4b6a8c3e5f7091b2d4c6e8a0b1c2d3"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def checkout(root: Path, config: str = "", head: str = "ref: refs/heads/main\n") -> Path:
    write(root / ".git" / "config", config)
    write(root / ".git" / "HEAD", head)
    return root


@pytest.mark.parametrize(
    "url",
    ["https://github.com/acme-labs/tiny.json.git", "git@github.com:acme-labs/tiny.json.git",
     "ssh://git@github.com/acme-labs/tiny.json", "https://github.com/acme-labs/tiny.json/"],
)  # fmt: skip
def test_github_origin_forms(tmp_path: Path, url: str) -> None:
    config = (
        f'[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/x/y\n'
        f'[remote "origin"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'
    )
    assert github_origin(git_dir(str(checkout(tmp_path, config)))) == "acme-labs/tiny.json"


def test_origin_elsewhere_or_missing_is_none(tmp_path: Path) -> None:
    gitlab = checkout(tmp_path / "a", '[remote "origin"]\n\turl = https://gitlab.com/a/b.git\n')
    assert github_origin(git_dir(str(gitlab))) is None
    assert github_origin(git_dir(str(checkout(tmp_path / "b")))) is None


def test_head_through_loose_and_packed_refs_and_detached(tmp_path: Path) -> None:
    loose = checkout(tmp_path / "loose")
    write(loose / ".git" / "refs" / "heads" / "main", SHA + "\n")
    assert head_commit(git_dir(str(loose))) == SHA
    packed = checkout(tmp_path / "packed")
    write(packed / ".git" / "packed-refs", f"# pack-refs with: peeled\n{OTHER} refs/heads/dev\n"
          f"{SHA} refs/heads/main\n")  # fmt: skip
    assert head_commit(git_dir(str(packed))) == SHA
    detached = checkout(tmp_path / "detached", head=OTHER + "\n")
    assert head_commit(git_dir(str(detached))) == OTHER
    unborn = checkout(tmp_path / "unborn")  # a branch without commits
    assert head_commit(git_dir(str(unborn))) is None


def test_worktree_git_file_and_common_dir(tmp_path: Path) -> None:
    main = checkout(tmp_path / "main", '[remote "origin"]\n\turl = git@github.com:o/n.git\n')
    write(main / ".git" / "refs" / "heads" / "feature", SHA + "\n")
    write(main / ".git" / "worktrees" / "wt" / "HEAD", "ref: refs/heads/feature\n")
    write(main / ".git" / "worktrees" / "wt" / "commondir", "../..\n")
    write(tmp_path / "wt" / ".git", f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n")
    git = git_dir(str(tmp_path / "wt"))
    assert git == str(main / ".git" / "worktrees" / "wt")
    assert (github_origin(git), head_commit(git)) == ("o/n", SHA)


def test_no_git_folder(tmp_path: Path) -> None:
    assert git_dir(str(tmp_path)) is None
