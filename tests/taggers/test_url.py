import gzip
from pathlib import Path

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.taggers.url import (
    UrlFilterConfig,
    UrlFilterTagger,
    host_of,
    is_blocked,
    parse_blocklist_line,
)
from taggers.presets import filter_preset

REPO = Path(__file__).resolve().parents[2]

# every list here is written by the test: dolmakit ships none
BLOCKLIST = """\
# a plain list, one domain a line
blocked.example
Shop.Blocked-Two.TEST.   # inline comment, upper case, trailing dot
||ads.adblock.example^$third-party
https://from-a-url.example/some/path
bücher.example

# hosts-file lines
127.0.0.1 localhost localhost.localdomain
::1 ip6-localhost
0.0.0.0 tracker.hosts.example second.hosts.example
0.0.0.0 0.0.0.0
! an adblock comment
"""


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def tagger(tmp_path) -> UrlFilterTagger:
    config = UrlFilterConfig(
        blocklists=[
            write(tmp_path, "block.txt", BLOCKLIST),
            write(tmp_path, "more.txt.gz", "gz-list.example\n"),
        ],
        banned_words=[write(tmp_path, "hard.txt", "casino\n# comment\nXXX\n")],
        soft_banned_words=[write(tmp_path, "soft.txt", "hot\ngirls\nfree\n")],
        banned_subwords=[write(tmp_path, "sub.txt", "pornhub\n")],
    )
    step = UrlFilterTagger("url_filter_v1", config)
    step.setup()
    return step


def run(tagger: UrlFilterTagger, url: str | None) -> Document | Removed:
    doc = Document(id="d", text="t", source="s", metadata={} if url is None else {"url": url})
    return filter_preset("url").process(tagger.process(doc))


def test_blocklist_formats(tagger):
    assert tagger.domains == {
        "blocked.example",
        "shop.blocked-two.test",
        "ads.adblock.example",
        "from-a-url.example",
        "xn--bcher-kva.example",
        "tracker.hosts.example",
        "second.hosts.example",
        "gz-list.example",
    }


@pytest.mark.parametrize(
    "line, domains",
    [
        ("example.com", ["example.com"]),
        ("  # only a comment", []),
        ("0.0.0.0 a.example b.example # both", ["a.example", "b.example"]),
        ("127.0.0.1 localhost", []),
        ("*.wild.example", ["wild.example"]),
        ("||x.example^", ["x.example"]),
        ("[Adblock Plus 2.0]", []),
    ],
)
def test_parse_blocklist_line(line, domains):
    assert parse_blocklist_line(line) == domains


@pytest.mark.parametrize(
    "url",
    [
        "https://blocked.example/page",
        "http://www.blocked.example/",
        "https://a.b.blocked.example:8443/x?y=1",
        "https://user:pw@BLOCKED.example./",
        "blocked.example/no-scheme",
        "https://tracker.hosts.example/pixel.gif",
        "https://cdn.ads.adblock.example/",
        "https://shop.blocked-two.test/cart",
        "https://bücher.example/",
        "https://xn--bcher-kva.example/",
        "https://gz-list.example/",
    ],
)
def test_blocked_domains_and_their_subdomains_are_removed_with_the_reason(tagger, url):
    removed = run(tagger, url)
    assert isinstance(removed, Removed) and removed.reason == "url_blocked_domain"


@pytest.mark.parametrize(
    "url",
    [
        "https://notblocked.example/",
        "https://blocked.example.evil.test/",
        "https://blocked-two.test/",  # only shop.blocked-two.test is listed
        "https://example/",
        "https://[2001:db8::1]/",
        "http://[broken/",
        "mailto:someone@blocked.example",  # no host: not a web page of that domain
        "",
    ],
)
def test_other_domains_are_kept(tagger, url):
    assert isinstance(run(tagger, url), Document)


def test_host_of():
    assert host_of("HTTPS://Www.Example.COM:80/a") == "www.example.com"
    assert host_of("example.com/a") == "example.com"
    assert host_of("http://[::1") is None
    assert not is_blocked(None, {"example.com"})
    assert not is_blocked("10.1.2.3", {"1.2.3"})


def test_banned_words_on_both_sides_of_their_thresholds(tagger):
    assert isinstance(run(tagger, "https://shop.example/casinos-guide"), Document)
    assert run(tagger, "https://shop.example/casino/guide").reason == "url_banned_word"
    assert run(tagger, "https://shop.example/a_XXX_b").reason == "url_banned_word"
    # soft words: one is kept, two are removed (datatrove's soft_word_threshold 2)
    assert isinstance(run(tagger, "https://shop.example/free-shipping"), Document)
    assert run(tagger, "https://shop.example/hot-girls").reason == "url_banned_word"
    # subwords: anywhere in the URL's letters and digits
    assert run(tagger, "https://porn-hub.example/").reason == "url_banned_word"
    assert isinstance(run(tagger, "https://porn-hu.example/"), Document)


def test_attributes_and_counts(tagger):
    doc = Document(id="d", text="t", source="s", metadata={"url": "https://x.example/hot-free"})
    assert tagger.process(doc).attributes == {
        "url_filter_v1__blocked_domain": [[0, 1, 0.0]],
        "url_filter_v1__banned_words": [[0, 1, 0.0]],
        "url_filter_v1__soft_banned_words": [[0, 1, 2.0]],
        "url_filter_v1__banned_subwords": [[0, 1, 0.0]],
    }


def test_a_document_without_url_is_kept_untagged(tagger):
    doc = Document(id="d", text="t", source="s")
    assert tagger.process(doc).attributes == {}
    assert isinstance(run(tagger, None), Document)
    assert tagger.stats["no_url"] == 2


def test_missing_list_file_is_a_config_error_at_construction(tmp_path):
    with pytest.raises(ConfigError, match="blocklists.*no such list file"):
        UrlFilterTagger("u", UrlFilterConfig(blocklists=[str(tmp_path / "missing.txt")]))
    with pytest.raises(ConfigError, match="banned_words"):
        UrlFilterTagger("u", UrlFilterConfig(banned_words=[str(tmp_path / "missing.txt")]))
    with pytest.raises(ConfigError, match="give `blocklists`"):
        UrlFilterTagger("u", UrlFilterConfig())


def test_lists_load_lazily_without_setup(tmp_path):
    config = UrlFilterConfig(blocklists=[write(tmp_path, "b.txt", "x.example")])
    step = UrlFilterTagger("url_filter_v1", config)
    assert run(step, "https://x.example/").reason == "url_blocked_domain"


@pytest.mark.parametrize(
    "url",
    [
        "",
        " ",
        "https://" + "a" * 10_000_000 + ".example/",
        "!!!@@@###",
        "http://مثال.example/",
        "https://例え.テスト/パス",
        "https://שלום.example/\u200f",
        "\x00\x01",
    ],
)
def test_bad_urls_do_not_crash_and_every_drop_has_a_reason(tagger, url):
    result = run(tagger, url)
    assert isinstance(result, Document) or result.reason in {
        "url_blocked_domain",
        "url_banned_word",
    }


@pytest.mark.parametrize("text", ["", " \n\t ", "!!!", "x" * 10_000_000, "東京 مرحبا"])
def test_bad_text_does_not_matter(tagger, text):
    doc = Document(id="d", text=text, source="s", metadata={"url": "https://blocked.example/"})
    assert filter_preset("url").process(tagger.process(doc)).reason == "url_blocked_domain"
