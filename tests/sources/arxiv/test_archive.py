import io
import random

from dolmakit.sources.arxiv.archive import (
    Failure,
    RawPaper,
    _Prepended,
    paper_from_bytes,
    read_papers,
)

from .builders import gzipped, paper, tar_bytes

MB = 1 << 20


def papers_of(path, layout="auto", max_bytes=MB) -> list:
    return list(read_papers(str(path), max_bytes, layout))


def test_a_papers_tar_gz_is_one_paper_with_its_text_files(tmp_path):
    path = tmp_path / "2401.00001.tar.gz"
    path.write_bytes(
        gzipped(
            tar_bytes({"./m.tex": paper("m"), "fig.png": b"\x89PNG\0", "a/b.bbl": b"M\xfcller"})
        )  # fmt: skip
    )
    (found,) = papers_of(path)
    assert isinstance(found, RawPaper) and found.name == "2401.00001.tar.gz"
    assert set(found.files) == {"m.tex"} and found.n_files == 3  # a .bbl is not even decoded


def test_gzip_and_tar_are_told_by_their_bytes_not_the_name(tmp_path):
    single, folder = tmp_path / "2401.00002.gz", tmp_path / "2401.00003.gz"
    single.write_bytes(gzipped(paper("x")))
    folder.write_bytes(gzipped(tar_bytes({"p.tex": paper("y")})))
    (one,), (two,) = papers_of(single), papers_of(folder)
    assert one.single_file and one.files == {"2401.00002.tex": paper("x")}
    assert not two.single_file and two.files == {"p.tex": paper("y")}


def test_plain_tex(tmp_path):
    path = tmp_path / "notes.tex"
    path.write_bytes(paper("z"))
    assert papers_of(path)[0].files == {"notes.tex": paper("z")}


def test_bulk_tar_is_one_paper_per_member(tmp_path):
    path = tmp_path / "arXiv_src_2401_001.tar"
    path.write_bytes(tar_bytes({
        "2401/2401.00001.gz": gzipped(paper("a")),
        "2401/2401.00002.gz": b"not gzip, not tar",
        "2401/2401.00003.pdf": b"%PDF-1.4",
        "2401/2401.00004.gz": gzipped(tar_bytes({"m.tex": paper("d")})),
    }))  # fmt: skip
    found = papers_of(path)
    assert [item.location["member"] for item in found] == [
        f"2401/2401.0000{i}.{'pdf' if i == 3 else 'gz'}" for i in range(1, 5)
    ]
    assert found[0].files == {"2401.00001.tex": paper("a")}
    assert found[1].files == {"2401.00002.tex": b"not gzip, not tar"}  # the decoder judges it
    assert found[2].pdf_only and found[3].files == {"m.tex": paper("d")}


def test_layout_can_be_forced(tmp_path):
    path = tmp_path / "x.tar"
    path.write_bytes(tar_bytes({"2401.00001.gz": gzipped(paper("a"))}))
    assert len(papers_of(path, layout="paper")[0].files) == 0  # a .gz is no text file
    assert papers_of(path, layout="auto")[0].files == {"2401.00001.tex": paper("a")}


def test_corrupt_member_is_a_failure_and_the_next_members_are_read(tmp_path):
    damaged = gzipped(paper("a"))[:-12]
    path = tmp_path / "bulk.tar"
    path.write_bytes(tar_bytes({"2401.00001.gz": damaged, "2401.00002.gz": gzipped(paper("b"))}))
    first, second = papers_of(path)
    assert isinstance(first, Failure) and first.kind == "corrupt_member"
    assert first.location == {"member": "2401.00001.gz"}
    assert second.files == {"2401.00002.tex": paper("b")}


def test_truncated_stream_is_a_corrupt_file_after_what_was_read(tmp_path):
    noise = random.Random(0).randbytes(30_000)  # incompressible: the cut lands in member 3
    bulk = tar_bytes({f"2401.0000{i}.gz": gzipped(paper(str(i)) + noise) for i in range(1, 4)})
    path = tmp_path / "bulk.tar.gz"
    path.write_bytes(gzipped(bulk)[:-200])
    *papers, failure = papers_of(path)
    assert [type(p) for p in papers] == [RawPaper, RawPaper]
    assert failure.kind == "corrupt_file" and f"after {len(papers)} papers" in failure.cause


def test_too_large(tmp_path):
    path = tmp_path / "big.tex"
    path.write_bytes(paper("x" * 2000))
    assert papers_of(path, max_bytes=1000)[0].kind == "too_large"
    bulk = tmp_path / "bulk.tar"
    bulk.write_bytes(tar_bytes({"2401.00001.gz": b"x" * 2000, "2401.00002.gz": gzipped(b"y")}))
    first, second = papers_of(bulk, max_bytes=1000)
    assert first.kind == "too_large" and isinstance(second, RawPaper)


def test_pdf_from_bytes_and_prepended_stream():
    assert paper_from_bytes(gzipped(b"%PDF-1.5 ..."), "2401.00001.gz", MB).pdf_only
    stream = _Prepended(b"abc", io.BytesIO(b"defg"))
    assert stream.read(2) + stream.read(3) + stream.read() == b"abcdefg"
