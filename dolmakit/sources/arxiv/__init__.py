"""arXiv LaTeX sources (per-paper .tar.gz / .gz / .tex, and arXiv's bulk S3 tars): the `arxiv`
reader, which finds each paper's main file, inlines its inputs and cleans it as RedPajama did."""

import dolmakit.sources.arxiv.reader  # noqa: F401
