"""Shared fixtures: the real WARC files beside the project, and a builder for small WARC files."""

from __future__ import annotations

import importlib.util
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

REPO = Path(__file__).resolve().parent.parent
SAMPLE_WARC = REPO / "samples" / "commoncrawl" / "sample.warc.gz"


def shared_data_dir() -> Path:
    return Path(os.environ.get("DOLMAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_warc(name: str) -> Path:
    """A file of ../shared/data/warc (or $DOLMAKIT_SHARED_DATA/warc); skips when absent."""
    path = shared_data_dir() / "warc" / name
    if not path.is_file():
        pytest.skip(f"real WARC capture {path} not found")
    return path


@pytest.fixture
def without_trafilatura(monkeypatch) -> None:
    """As if the optional trafilatura extra were not installed."""
    find_spec = importlib.util.find_spec

    def hidden(name: str, *args):
        return None if name == "trafilatura" else find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", hidden)


@pytest.fixture
def shared_warc_dir() -> Path:
    folder = shared_data_dir() / "warc"
    if not folder.is_dir():
        pytest.skip(f"real WARC captures not found at {folder}")
    return folder


@dataclass
class Response:
    """One HTTP response to write as a WARC response record."""

    url: str
    body: bytes
    content_type: str | None = "text/html; charset=utf-8"
    status: str = "200 OK"
    record_id: str | None = None  # "<urn:uuid:...>"; warcio makes one when None


def write_warc(path: Path, responses: list[Response], *, compress: bool = True) -> list[int]:
    """Writes the responses as a WARC (one gzip member per record when compressed) and returns
    each record's byte offset, so tests can damage a chosen record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    offsets = []
    for response in responses:
        offsets.append(buffer.tell())
        writer.write_record(_record(writer, response))
    path.write_bytes(buffer.getvalue())
    return offsets


def _record(writer: WARCWriter, response: Response):
    headers = [("Content-Length", str(len(response.body)))]
    if response.content_type:
        headers.append(("Content-Type", response.content_type))
    http = StatusAndHeaders(response.status, headers, protocol="HTTP/1.1")
    warc_headers = {"WARC-Record-ID": response.record_id} if response.record_id else None
    return writer.create_warc_record(
        response.url,
        "response",
        payload=io.BytesIO(response.body),
        http_headers=http,
        warc_headers_dict=warc_headers,
    )
