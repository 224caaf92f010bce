"""The WARC reader's HTML extraction on real pages of ../shared/data/web/web-pages.warc.gz (skipped
without it) that resiliparse's main-content rules or the main container cut: two articles of
which the rules kept nothing (a `site_header` wrapper; an empty `.single-post` element taken as
the article root), and a NYT article split by an advertisement (dolmakit.extract.container)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import shared_data_dir
from fastwarc.warc import ArchiveIterator

from dolmakit.core.document import Document
from dolmakit.io.readers import ReadConfig
from dolmakit.io.warc import WarcReader

MEDICAL = "https://www.medicalnewstoday.com/articles/318674.php"
RADIO = "https://radiokielce.pl/1054846/gospodynie-beda-rywalizowac-o-najlepsza-potrawe/"
NYT = (
    "https://www.nytimes.com/2016/07/30/business/dealbook/"
    "yahoos-sale-to-verizon-leaves-shareholders-with-little-say.html"
)


@pytest.fixture(scope="module")
def items() -> dict[str, object]:
    """The reader's item (document, removal or error) for each page above, by URI."""
    path = shared_data_dir() / "web" / "web-pages.warc.gz"
    if not path.is_file():
        pytest.skip(f"real web pages {path} not found")
    reader = WarcReader(ReadConfig(), source="web", added="2026-01-01T00:00:00+00:00")
    found = {}
    with Path(path).open("rb") as stream:
        for record in ArchiveIterator(stream, parse_http=False):
            uri = record.headers.get("WARC-Target-URI")
            if uri in (MEDICAL, RADIO, NYT):
                found[uri] = reader.record_to_item(record, str(path))
    assert set(found) == {MEDICAL, RADIO, NYT}
    return found


@pytest.mark.parametrize(
    ("uri", "start", "middle", "end", "length", "left_out"),
    [
        pytest.param(
            MEDICAL,
            "Neuroscience tells us that most of the work done by our brains happens on an "
            "unconscious level",
            "Dr. Shadlen and colleagues started out from an interesting hypothesis",
            "bring us closer to understanding the biological basis of decisions, ethics, and, "
            "generally, the human mind.",
            (5_000, 7_000),  # 5,715
            # the cookie and login boxes beside the article
            ["Healthline Media, Inc. would like", "Log in with your Medical News"],
            id="inside-a-site_header-wrapper",
        ),
        pytest.param(
            RADIO,
            "W Gminnym Centrum Kultury w Obrazowie odbędzie się dzisiaj (niedziela, 28 maja) "
            "Bitwa Regionów",
            "Jak powiedział Jacek Toś, dyrektor oddziału regionalnego",
            "Początek rywalizacji o godzinie 14.00.\n\n\xa0\n\nTagi:",  # the tags' label, no tags
            (700, 1_500),  # 875
            ["Ta witryna wykorzystuje pliki cookie"],
            id="beside-an-empty-single-post-element",
        ),
        pytest.param(
            NYT,
            "Yahoo’s Sale to Verizon Leaves Shareholders With Little Say\n\nDeal Professor\n\n"
            "By STEVEN DAVIDOFF SOLOMON\n\nYahoo’s $4.8 billion sale to Verizon is a complicated "
            "beast, showing how different acquisition structures can affect how shareholders are "
            "treated.",
            "It is hard to overestimate how complex an asset sale like this is.",
            "it is likely that the lawyers involved will have nightmares for years to come.",
            (6_500, 7_500),  # 6,921, as resiliparse's main content without the container
            ["We’re interested in your feedback on this page."],
            id="split-by-an-advertisement",
        ),
    ],
)
def test_the_article_text_is_extracted(items, uri, start, middle, end, length, left_out) -> None:
    item = items[uri]
    assert isinstance(item, Document), item  # not removed as no_text
    text = item.text
    assert text.startswith(start)
    assert middle in text
    assert text.endswith(end)
    assert length[0] <= len(text) <= length[1]
    for boilerplate in left_out:
        assert boilerplate not in text
