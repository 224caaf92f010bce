"""README.md's commands, run as written on the bundled samples, in order, so README cannot drift.

Every ```bash block is run, line by line, except the Set-up section's (they install the
project); blocks that cannot run here (placeholders such as gs://BUCKET) are ```text. Each
command runs with `set -e` in a folder that links the checkout's top-level entries, so what the
commands write lands under that folder's out/, never in the checkout's.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SET_UP = "## Set-up"
# a stated duration in a command's comment: "(25 s)", "(about 2 min)"
TIME = re.compile(r"\b\d[\d,.]* (s|min)\b")
# what the commands leave behind, each checked after the whole walk-through
OUTPUTS = [
    "out/commoncrawl/report.json",
    "out/mixes/sample/report.json",
    "out/mixes/sample/heldout/commoncrawl/manifest.json",
    "out/books/report.json",
    "out/tokenizer/tokenizer.model",
    "out/mixes/llama/report.json",
    "out/train/metrics.jsonl",
    "out/ablation/ablation.md",
    "out/ablation/loss_curves.png",
]


def bash_blocks(text: str) -> list[tuple[str, list[str]]]:
    """(section heading, lines) of every ```bash block, in order."""
    blocks, section, lines = [], "", None
    for line in text.splitlines():
        if lines is None and line.startswith("## "):
            section = line
        elif lines is None and line.strip() == "```bash":
            lines = []
        elif lines is not None and line.strip() == "```":
            blocks.append((section, lines))
            lines = None
        elif lines is not None:
            lines.append(line)
    return blocks


def runnable_commands(text: str) -> list[str]:
    """Each command line of the bash blocks outside Set-up (no blank or comment lines)."""
    return [
        line
        for section, lines in bash_blocks(text)
        if not section.startswith(SET_UP)
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    ]


def walkthrough_folder(root: Path) -> dict[str, str]:
    """Links the checkout's entries into root and returns an environment whose `dolmakit` is
    this checkout's, run by this interpreter."""
    for entry in REPO.iterdir():
        if entry.name not in ("out", ".git", ".venv", "bin"):
            (root / entry.name).symlink_to(entry)
    shim = root / "bin" / "dolmakit"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dolmakit "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    path = f"{shim.parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "PYTHONPATH": str(REPO)}


def test_the_blocks_are_found_and_set_up_is_left_out():
    commands = runnable_commands(README.read_text(encoding="utf-8"))
    assert [c.split("#")[0].split()[:3] for c in commands] == [
        ["dolmakit", "--version"],
        ["dolmakit", "steps"],
        ["dolmakit", "steps", "language_filter"],
        ["dolmakit", "steps", "c4_lines_v1"],
        ["dolmakit", "run", "pipelines/commoncrawl.yaml"],
        ["dolmakit", "inspect", "out/commoncrawl"],
        ["dolmakit", "inspect", "out/commoncrawl"],
        ["dolmakit", "run", "pipelines/commoncrawl.yaml"],
        ["dolmakit", "mix", "mixes/sample.yaml"],
        ["for", "s", "in"],
        ["dolmakit", "tokenizer", "train"],
        ["dolmakit", "mix", "mixes/llama.yaml"],
        ["dolmakit", "train", "--mix"],
        ["dolmakit", "ablate", "mixes/ablation-unfiltered.yaml"],
    ]
    assert not any("setup.sh" in command for command in commands)


def test_every_command_states_its_time():
    for command in runnable_commands(README.read_text(encoding="utf-8")):
        _, _, comment = command.partition("  #")
        assert TIME.search(comment), f"README states no time for: {command}"


def test_the_readme_commands_run_on_the_samples(tmp_path):
    env = walkthrough_folder(tmp_path)
    timings, printed = [], []
    for command in runnable_commands(README.read_text(encoding="utf-8")):
        started = time.monotonic()
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=1800)  # fmt: skip
        timings.append(f"{time.monotonic() - started:6.1f} s  {command.split('  #')[0]}")
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        printed.append(done.stdout.splitlines())
    print("\n".join(["README commands:", *timings]))
    assert [path for path in OUTPUTS if not (tmp_path / path).is_file()] == []
    run, sample, _, tokenizer, llama, train, ablate = printed[-7:]  # after "Looking at a run"
    # what README says of them
    assert run[0] == "in 35 = kept 2 + removed 33 + errors 0"
    assert "shards: out/mixes/sample/train/  held out: out/mixes/sample/heldout/" in sample
    assert tokenizer[1].startswith("note: vocabulary lowered from --vocab-size 32,000 to 5,307 ")
    assert "training tokens: 5,970 (planned 6,000)" in llama
    assert llama[-2].startswith("WARNING: source 'books' is 0.00% of the training tokens, planned")
    assert list(json.loads("\n".join(train))["eval"]) == ["commoncrawl"]  # the held-out page
    assert ablate[0] == "2 steps of 4 x 128 tokens per run, 2 seeds"
