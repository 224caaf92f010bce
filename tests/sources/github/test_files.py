"""Tests for dolmakit.sources.github.files: ids, URLs, decoding and the document's metadata."""

from __future__ import annotations

from dolmakit.sources.github.files import (
    SourceFile,
    code_document,
    decode_source,
    document_id,
    file_error,
    github_url,
)


def test_id_is_repository_and_path() -> None:
    assert document_id("acme/tool", "src/a.py") == "acme/tool:src/a.py"


def test_url_only_for_owner_name_repositories_with_a_ref() -> None:
    assert github_url("acme/tool", "main", "src/a b.py") == (
        "https://github.com/acme/tool/blob/main/src/a%20b.py"
    )
    assert github_url("acme/tool", "refs/heads/dev", "x.c") == (
        "https://github.com/acme/tool/blob/dev/x.c"
    )
    assert github_url("tool", "main", "x.c") is None  # not owner/name
    assert github_url("a/b/c", "main", "x.c") is None
    assert github_url("acme/tool", "", "x.c") is None


def test_decoding_utf8_and_refusing_binary() -> None:
    assert decode_source("héllo\n".encode()) == ("héllo\n", "")
    assert decode_source(b"\xef\xbb\xbfx = 1\n") == ("x = 1\n", "")  # the BOM goes
    assert decode_source(b"GIF89a\x00\x01") == (None, "NUL byte at offset 6")
    text, why = decode_source(b"caf\xe9 latin-1")
    assert text is None and why.startswith("not UTF-8") and "offset 3" in why


def test_document_metadata() -> None:
    file = SourceFile("acme/tool", "lib/util.rs", "MIT", ref="abc123", created="2024-01-02")
    doc = code_document(file, "fn main() {}\n", 13, "github", "2024-05-01T00:00:00+00:00")
    assert doc.id == "acme/tool:lib/util.rs" and doc.source == "github"
    assert doc.created == "2024-01-02"
    assert doc.metadata == {
        "repository": "acme/tool",
        "path": "lib/util.rs",
        "licence": "MIT",
        "language": "Rust",
        "bytes": 13,
        "url": "https://github.com/acme/tool/blob/abc123/lib/util.rs",
    }


def test_file_error_names_the_file() -> None:
    error = file_error("binary_file", "NUL", "t.jsonl", SourceFile("a/b", "x.png", "MIT"), line=4)
    assert error.to_dict() == {"step": "read", "kind": "binary_file", "cause": "NUL",
                               "file": "t.jsonl", "line": 4, "repository": "a/b",
                               "path": "x.png"}  # fmt: skip
