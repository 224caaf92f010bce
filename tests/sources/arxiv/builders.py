"""Writing arXiv-style sources for the tests: gzip streams and tars, in memory."""

from __future__ import annotations

import gzip
import io
import tarfile

PAPER = b"\\documentclass{article}\n\\begin{document}\n\\section{A}\nText %s.\n\\end{document}\n"


def paper(word: str) -> bytes:
    """A minimal paper whose cleaned text is `\\section{A}\\nText <word>.`."""
    return PAPER.replace(b"%s", word.encode())


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def tar_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()
