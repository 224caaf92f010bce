"""pipelines/arxiv.yaml, every step of it, on the bundled sample."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import REPO
from helpers import run_shipped_pipeline

SAMPLE = REPO / "samples" / "arxiv" / "src"

# the tar.gz paper: main file chosen over the reply letter, \input{sections/method} and
# `\input results` inlined, preamble and title gone, macros expanded (two arguments, an optional
# argument, \def with and without parameters, a macro using another), comments gone but not the
# escaped \%, `\\%` a line break and a comment, comment environment gone, cut at \appendix
TRICKY_TEXT = r"""\section{Introduction}\label{sec:intro}
Gauges report the level every fifteen minutes and about 3\% of readings are lost
in transit. We describe \textsc{Brook}, which fills those gaps from the gauges nearby.
Each reading is a vector in $\mathbb{R}^{d}$ and two readings are compared with $\langle x, y \rangle$.
A forced line break ends this line\\
and the sentence goes on after it.

\section{Method}
\label{sec:method}
The loss $\mathcal{L}(\theta)$ is minimised over consecutive pairs $(x_t,\,x_{t+1})$ of readings, and
with a prior over the gauges we write $\mathcal{L}(\phi)$ instead.
Arguments may hold nested braces: $\langle \frac{a}{b}, \{c\} \rangle$ compares two ratios.
\begin{itemize}
  \item Gauges upstream give the early signal of a rising river.
  \item Gauges downstream confirm the level a few hours later.
\end{itemize}

\subsection{Results}
On forty gauges along two rivers, \textsc{Brook} lowers the error by 12\% relative to linear
interpolation, and by more during floods, when the readings change fastest and the
gaps matter most to the people who live near the water."""  # noqa: E501


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("arxiv")
    run = run_shipped_pipeline("arxiv", out, f"input.paths=[{SAMPLE}/*]")
    return run.summary, run.docs, run.removed, run.errors


def test_every_paper_is_accounted_for(full_run):
    summary, docs, removed, errors = full_run
    totals = summary.report["totals"]
    assert summary.ok and totals["invariant_holds"]
    assert (totals["in"], totals["kept"], totals["removed"], totals["errors"]) == (9, 4, 3, 2)
    assert set(docs) == {"2403.01234", "2403.05678", "2403.07777", "hep-th/9901001"}
    reasons = {doc_id: row["removed"]["reason"] for doc_id, row in removed.items()}
    assert reasons == {"2403.04321": "no_section", "2403.08888": "pdf_only",
                       "2403.08891": "too_short"}  # fmt: skip
    assert sorted((e["kind"], e.get("paper")) for e in errors) == [
        ("unbalanced_environment", "2403.09999"), ("undecodable", "2403.08890")
    ]  # fmt: skip


def test_tricky_paper_exact_text_and_metadata(full_run):
    _, docs, _, _ = full_run
    doc = docs["2403.01234"]
    assert doc["text"] == TRICKY_TEXT
    assert doc["source"] == "arxiv" and doc["created"] == "2024-03-01"
    metadata = {k: v for k, v in doc["metadata"].items() if k != "input_shard"}
    assert metadata == {"url": "https://arxiv.org/abs/2403.01234", "arxiv_id": "2403.01234",
                        "n_files": 6, "license": "unknown", "main_file": "main.tex"}  # fmt: skip
    assert doc["attributes"]["language_id_v1__en"][0][2] > 0.5


def test_bulk_and_single_file_papers(full_run):
    _, docs, _, _ = full_run
    assert docs["2403.07777"]["metadata"]["member"] == "2403/2403.07777.gz"
    assert "wading birds at six invented wetland sites" in docs["2403.07777"]["text"]
    assert "thebibliography" not in docs["2403.05678"]["text"]
    assert docs["hep-th/9901001"]["metadata"]["url"] == "https://arxiv.org/abs/hep-th/9901001"
    assert r"$\langle m || n \rangle$" in docs["hep-th/9901001"]["text"]


def test_sample_is_what_the_script_writes():
    spec = importlib.util.spec_from_file_location("make", REPO / "samples/make_arxiv_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = {path.name: path.read_bytes() for path in SAMPLE.iterdir()}
    assert written == module.papers()
