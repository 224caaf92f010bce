"""Build ``samples/arxiv/src/``: a few invented arXiv papers in the formats arXiv distributes.

Every paper was written for this sample. The ids have arXiv's forms (March 2024, and one
old-style 1999 id) and may be the ids of real papers, but no real paper's text is in here.
The formats are arXiv's own:

- ``2403.01234.tar.gz`` a paper's gzipped tar: main file, an ``\\input`` section file (braced
  and TeX's bare ``\\input name`` form), a ``.bib``, a PNG, a reply letter that also has
  ``\\documentclass`` (so the main file has to be chosen), user macros (one with two arguments,
  one with an optional argument, ``\\def`` with and without parameters, a macro using another),
  a comment after an escaped ``\\%``, ``\\\\%``, a ``comment`` environment, an appendix;
- ``2403.05678.gz`` a bare gzipped single .tex (arXiv's form for one-file papers) ending in a
  ``thebibliography`` environment;
- ``hep-th9901001.gz`` an old-style id (hep-th/9901001) in LaTeX 2.09 (``\\documentstyle``);
- ``2403.09999.tar.gz`` a paper that does not compile (``\\begin{figure}`` closed by
  ``\\end{table}``);
- ``2403.04321.gz`` a short note without any section;
- ``arXiv_src_2403_001.tar`` a bulk tar as in arXiv's S3 dump: ``2403/<id>.gz`` members (a
  gzipped tar whose macros live in an ``\\input`` file, a Latin-1 single file that is not
  UTF-8, a withdrawal notice of one sentence) and a ``2403/<id>.pdf`` (a paper arXiv holds only
  as PDF).

The output is byte-for-byte deterministic: tar members have mtime 0, uid/gid 0 and no user
names, gzip streams have mtime 0 and no file name. Regenerate with::

    python samples/make_arxiv_sample.py
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "arxiv" / "src"

TRICKY_MAIN = r"""\documentclass[11pt]{article}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
% Macros used throughout the paper.
\newcommand{\R}{\mathbb{R}}
\newcommand{\inner}[2]{\langle #1, #2 \rangle}
\newcommand{\loss}[1][\theta]{\mathcal{L}(#1)}
\def\model{\textsc{Brook}}
\def\pair#1#2{(#1,\,#2)}
\newcommand{\Rd}{\R^{d}}
\title{Filling Gaps in River Gauge Records with \model}
\author{Ada Fictional \and Ben Imaginary}
\begin{document}
\maketitle
\begin{abstract}
We present \model, a small model that fills gaps in river gauge records.
\end{abstract}

\section{Introduction}\label{sec:intro}
Gauges report the level every fifteen minutes and about 3\% of readings are lost % radio noise
in transit. We describe \model{}, which fills those gaps from the gauges nearby.
Each reading is a vector in $\Rd$ and two readings are compared with $\inner{x}{y}$.
A forced line break ends this line\\% and this comment goes
and the sentence goes on after it.
%\input{old_intro}
\begin{comment}
This paragraph was cut before submission and must not appear.
\end{comment}

\input{sections/method}
\input results

\appendix
\section{Proofs}
The proofs are routine and left to the reader.

\bibliographystyle{plain}
\bibliography{refs}
\end{document}
"""

TRICKY_METHOD = r"""\section{Method}
\label{sec:method}
The loss $\loss$ is minimised over consecutive pairs $\pair{x_t}{x_{t+1}}$ of readings, and
with a prior over the gauges we write $\loss[\phi]$ instead.
Arguments may hold nested braces: $\inner{\frac{a}{b}}{\{c\}}$ compares two ratios.
\begin{itemize}
  \item Gauges upstream give the early signal of a rising river.
  \item Gauges downstream confirm the level a few hours later.
\end{itemize}
"""

TRICKY_RESULTS = r"""\subsection{Results}
On forty gauges along two rivers, \model{} lowers the error by 12\% relative to linear
interpolation, and by more during floods, when the readings change fastest and the
gaps matter most to the people who live near the water.
"""

TRICKY_BIB = r"""@article{fictional2020gauges,
  title   = {Notes on Invented River Gauges},
  author  = {Fictional, Ada},
  journal = {Journal of Made-Up Hydrology},
  year    = {2020}
}
"""

TRICKY_REPLY = r"""\documentclass{letter}
\begin{document}
Dear editor, we thank the referees and have revised the paper.
\end{document}
"""

SINGLE_FILE = r"""\documentclass{article}
\newcommand{\gauge}{water gauge}
\begin{document}
\title{A Note on Reading a \gauge{} by Eye}
\maketitle
\section{Background}
Before automatic loggers, a \gauge{} was read by eye once or twice a day by a keeper who
lived nearby, and the readings were written in a ledger that was posted to the district
office at the end of every month. The ledgers that survive show how often a reading was
missed: on holidays, during storms, and whenever the keeper was ill.
\section{What the ledgers show}
Across twelve ledgers kept between the wars, about one reading in twenty is missing, and
missing readings cluster in winter, when high water made the staff hard to reach. A model
that fills these gaps has to know that a missing value is more likely when the river is
high, which is exactly when the value matters most.
\begin{thebibliography}{9}
\bibitem{keeper} A. Keeper, \emph{Ledgers of an Invented River}, 1931.
\end{thebibliography}
\end{document}
"""

OLD_STYLE = r"""\documentstyle[12pt]{article}
\def\bra#1{\langle #1 |}
\def\ket#1{| #1 \rangle}
\begin{document}
\title{Toy States on an Invented Lattice}
\maketitle
\section{Introduction}
We study toy states $\ket{n}$ on a lattice that exists only in this sample, and the overlaps
$\bra{m}\ket{n}$ between them. The states are labelled by the sites of the lattice and the
overlap of two states falls off with the distance between their sites, so that a state is
mostly made of its near neighbours. This is the simplest setting in which the question we
ask makes sense, and we keep to it throughout the note.
\section{Overlaps}
For neighbouring sites the overlap is one half, and it halves again with each further step,
which gives a geometric series whose sum is finite for every state of the lattice.
\end{document}
"""

BROKEN = r"""\documentclass{article}
\begin{document}
\section{Setup}
The apparatus is shown in the figure below.
\begin{figure}
\centering
A drawing of the apparatus.
\end{table}
\end{document}
"""

NO_SECTION = r"""\documentclass{article}
\begin{document}
\title{Erratum}
\maketitle
In the table of our earlier note, the second column should read metres, not feet.
\end{document}
"""

BULK_MAIN = r"""\documentclass{article}
\input{macros}
\begin{document}
\section{Overview}
We count \birds{} at \sites{} over three winters and compare the counts with the
weather of each morning. The counts were made by volunteers who walked the same
route at first light, and every count was checked by a second walker on the same
day. Cold mornings bring more \birds{} to the feeders near the water, and windy ones
fewer, so the weather has to be accounted for before two winters can be compared.
\section{Counts}
The mean count per morning is $\avg{c}$, and it rises by a third in the coldest weeks
of each winter, then falls back within days once the weather turns mild again. Over
the three winters the counts at the wettest sites were the least variable.
\end{document}
"""

BULK_MACROS = r"""\newcommand{\birds}{wading birds}
\newcommand{\sites}{six invented wetland sites}
\newcommand{\avg}[1]{\bar{#1}}
"""

WITHDRAWN = r"""\documentclass{article}
\begin{document}
\section*{Withdrawn}
This paper has been withdrawn by the authors: the data in its second table were wrong.
\end{document}
"""

# Latin-1 bytes (the ä of Pegelstände is 0xe4): not UTF-8
LATIN1 = r"""\documentclass{article}
\begin{document}
\section{Einf\"uhrung}
Die Pegelstände werden täglich abgelesen.
\end{document}
""".encode("latin-1")


def gzipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(data)
    return buffer.getvalue()


def tar_bytes(files: dict[str, bytes]) -> bytes:
    """An uncompressed tar of the files in the given order, with fixed metadata."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A tiny stand-in figure: PNG magic and a few binary bytes (never decoded)."""
    return b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def papers() -> dict[str, bytes]:
    tricky = {
        "main.tex": TRICKY_MAIN.encode(),
        "sections/method.tex": TRICKY_METHOD.encode(),
        "results.tex": TRICKY_RESULTS.encode(),
        "refs.bib": TRICKY_BIB.encode(),
        "figures/flow.png": png_bytes(),
        "reply-to-referees.tex": TRICKY_REPLY.encode(),
    }
    bulk = {
        "2403/2403.07777.gz": gzipped(
            tar_bytes({"ms.tex": BULK_MAIN.encode(), "macros.tex": BULK_MACROS.encode()})
        ),
        "2403/2403.08888.pdf": b"%PDF-1.4\n% a stand-in for a paper arXiv holds as PDF only\n",
        "2403/2403.08890.gz": gzipped(LATIN1),
        "2403/2403.08891.gz": gzipped(WITHDRAWN.encode()),
    }
    return {
        "2403.01234.tar.gz": gzipped(tar_bytes(tricky)),
        "2403.05678.gz": gzipped(SINGLE_FILE.encode()),
        "hep-th9901001.gz": gzipped(OLD_STYLE.encode()),
        "2403.09999.tar.gz": gzipped(tar_bytes({"paper.tex": BROKEN.encode()})),
        "2403.04321.gz": gzipped(NO_SECTION.encode()),
        "arXiv_src_2403_001.tar": tar_bytes(bulk),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in papers().items():
        (OUT / name).write_bytes(data)
        print(f"{OUT / name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
