import gzip
import io
import zlib

import pytest
from conftest import shared_warc
from fastwarc.stream_io import BrotliWriter

from dolmakit.extract.http import BodyTooLarge, dechunk, decode_payload
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader

PAGE = b"<html><body><p>" + b"words " * 200 + b"</p></body></html>"


def chunked(data: bytes, size: int = 100) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def test_dechunk():
    assert dechunk(chunked(PAGE)) == PAGE
    assert dechunk(b"5\r\nhello\r\n") == b"hello"  # no closing zero chunk
    assert dechunk(b"<html>not chunked</html>") is None
    assert dechunk(b"5\r\nhello\r\nzz\r\nmore") is None  # a later size line that is none
    # fastwarc takes no chunk extensions: such a body is used as it came (and noted)
    assert dechunk(b"5;ext=1\r\nhello\r\n0\r\n\r\n") is None


@pytest.mark.parametrize(
    ("body", "came"),
    [
        (b"ff\r\ncut short", b"cut short"),
        (b"5\r\nhello\r\nff\r\ncut short", b"hellocut short"),
        (b"5\r\nhello\r\nf", b"hello"),  # cut inside a size line
        (chunked(PAGE)[:-9], PAGE[:-2]),  # the last of many chunks cut two bytes short
    ],
)
def test_a_cut_transfer_keeps_what_came(body, came):
    assert dechunk(body) == came


class _KeepOpen(io.BytesIO):
    def close(self) -> None:  # BrotliWriter closes its sink to finish the stream
        pass


def brotli(data: bytes) -> bytes:
    out = _KeepOpen()
    writer = BrotliWriter(out)
    writer.write(data)
    writer.close()
    return out.getvalue()


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (gzip.compress(PAGE), "gzip"),
        (gzip.compress(PAGE), "x-gzip"),
        (zlib.compress(PAGE), "deflate"),
        (zlib.compress(PAGE)[2:-4], "deflate"),  # raw deflate, as many servers send it
        (gzip.compress(gzip.compress(PAGE)), "gzip, gzip"),
    ],
)
def test_content_encodings(encoded, encoding):
    payload = decode_payload(encoded, None, encoding, 1 << 20)
    assert (payload.body, payload.notes) == (PAGE, [])


def test_brotli():
    encoded = brotli(PAGE)
    assert decode_payload(encoded, None, "br", 1 << 20).body == PAGE


def test_chunked_then_gzip():
    payload = decode_payload(chunked(gzip.compress(PAGE)), "chunked", "gzip", 1 << 20)
    assert payload.body == PAGE


def test_declared_but_not_encoded_is_used_as_is():
    payload = decode_payload(PAGE, "chunked", "gzip", 1 << 20)
    assert payload.body == PAGE
    assert payload.notes == ["transfer_encoding_not_chunked", "content_encoding_gzip_not_applied"]


def test_decompression_is_bounded():
    bomb = gzip.compress(b"\0" * 50_000_000)
    with pytest.raises(BodyTooLarge):
        decode_payload(bomb, None, "gzip", 1 << 20)


def test_clueweb_gzip_header_over_decoded_bodies_and_bad_dates():
    reader = WarcReader(ReadConfig(), "clueweb", "2026-01-01")
    docs = list(reader.read(str(shared_warc("resiliparse_clueweb-quirk.warc.gz"))))
    assert len(docs) == 29
    doc = docs[0]
    assert doc.metadata["http_decoding"] == ["content_encoding_gzip_not_applied"]
    assert doc.created == "" and doc.metadata["warc_date"] == "2008-10-294T05:21:46-0700"
