import pytest

import dolmakit.engine.builtins  # noqa: F401
from dolmakit.core.document import Document, ErrorRecord, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.io.readers import ReadConfig, reader_for
from dolmakit.sources.arxiv.reader import ArxivReader

from .builders import gzipped, paper, tar_bytes


def read(path, **options) -> list:
    reader = ArxivReader(ReadConfig(options=options), "arxiv", "2025-01-01T00:00:00+00:00")
    return list(reader.read(str(path)))


def test_document_id_metadata_and_created(tmp_path):
    path = tmp_path / "2312.04567v2.tar.gz"
    path.write_bytes(gzipped(tar_bytes({"src/ms.tex": paper("one"), "src/fig.pdf": b"%PDF"})))
    (doc,) = read(path)
    assert isinstance(doc, Document)
    assert (doc.id, doc.text, doc.source, doc.created) == (
        "2312.04567v2", "\\section{A}\nText one.", "arxiv", "2023-12-01"
    )  # fmt: skip
    assert doc.metadata == {
        "url": "https://arxiv.org/abs/2312.04567v2",
        "arxiv_id": "2312.04567v2",
        "n_files": 2,
        "license": "unknown",
        "main_file": "src/ms.tex",
    }


def test_a_file_not_named_by_an_id_keeps_its_name(tmp_path):
    path = tmp_path / "draft.tex"
    path.write_bytes(paper("two"))
    (doc,) = read(path, license="CC-BY-4.0")
    assert doc.id == "draft" and doc.created == "" and doc.metadata["url"] == ""
    assert doc.metadata["license"] == "CC-BY-4.0"


def test_missing_input_is_noted_in_metadata_and_stats(tmp_path):
    path = tmp_path / "2401.00001.tex"
    path.write_bytes(paper("three").replace(b"Text", b"\\input{gone}Text"))
    reader = ArxivReader(ReadConfig(), "arxiv", "")
    (doc,) = reader.read(str(path))
    assert doc.text == "\\section{A}\nText three." and doc.metadata["missing_inputs"] == ["gone"]
    assert reader.stats["arxiv/missing_input"] == 1


def test_each_case_becomes_what_the_docs_say(tmp_path):
    no_section = b"\\documentclass{article}\\begin{document}Note.\\end{document}"
    path = tmp_path / "arXiv_src_2401_001.tar"
    path.write_bytes(tar_bytes({
        "2401/2401.00001.gz": gzipped(paper("kept")),
        "2401/2401.00002.gz": gzipped(no_section),
        "2401/2401.00003.pdf": b"%PDF-1.4",
        "2401/2401.00004.gz": gzipped(paper("x").replace(b"\\end{document}", b"")),
        "2401/2401.00005.gz": gzipped(b"\\section{No class}"),
        "2401/2401.00006.gz": gzipped(paper("caf\xe9").decode().encode("latin-1")),
        "2401/2401.00007.gz": gzipped(paper("bin") + b"\0\0"),
        "2401/2401.00008.gz": gzipped(paper("x"))[:30],
        "2401/2401.00009.gz": gzipped(paper("last")),
    }))  # fmt: skip
    items = read(path)
    kinds = [
        item.id if isinstance(item, Document)
        else f"removed:{item.reason}" if isinstance(item, Removed)
        else f"error:{item.kind}"
        for item in items
    ]  # fmt: skip
    assert kinds == [
        "2401.00001", "removed:no_section", "removed:pdf_only",
        "error:unbalanced_environment", "error:no_main_file", "error:undecodable",
        "error:binary_member", "error:corrupt_member", "2401.00009",
    ]  # fmt: skip
    assert items[1].doc.text == "Note." and items[1].doc.metadata["member"] == "2401/2401.00002.gz"
    error = items[3]
    assert isinstance(error, ErrorRecord) and error.location == {
        "file": str(path), "member": "2401/2401.00004.gz", "paper": "2401.00004"
    }  # fmt: skip
    assert "\\begin{document} on line 2 is never closed" in error.cause


def test_latin1_papers_are_kept_when_asked(tmp_path):
    path = tmp_path / "2401.00006.gz"
    path.write_bytes(gzipped(paper("caf\xe9").decode().encode("latin-1")))
    assert read(path, encodings=["utf-8", "latin-1"])[0].text == "\\section{A}\nText café."


def test_corrupt_file_is_an_error_record(tmp_path):
    path = tmp_path / "2401.00001.tar.gz"
    path.write_bytes(gzipped(tar_bytes({"m.tex": paper("x")}))[:-30])
    (error,) = read(path)
    assert error.kind == "corrupt_file" and error.location["file"] == str(path)


def test_suffixes_claimed_and_options_checked():
    assert reader_for("a/2401.00001.tar.gz") is ArxivReader
    assert reader_for("2401.00001.tgz") is ArxivReader and reader_for("x.tex") is ArxivReader
    assert reader_for("arXiv_src_2401_001.tar") is ArxivReader
    assert reader_for("2401.00001.gz") is None  # bare .gz: input.format: arxiv
    with pytest.raises(ConfigError):
        ArxivReader.parse_options({"tar_layout": "both"})
    with pytest.raises(ConfigError):
        ArxivReader.parse_options({"no_such_option": 1})
    with pytest.raises(ConfigError, match="unknown encoding 'utf-9'"):
        ArxivReader.parse_options({"encodings": ["utf-8", "utf-9"]})
