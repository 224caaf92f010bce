"""Build ``samples/commoncrawl/sample.warc.gz``: a small, synthetic, Common-Crawl-style WARC.

The sample exists so that dolmakit's WARC reading, HTML extraction, charset handling,
language identification, deduplication and PII taggers can be tested offline against
realistic input. Every page in it was written for this sample; nothing is copied
from the web, and all domains are made up (``*.example`` / ``*.test``).

Like a Common Crawl WARC file it holds a ``warcinfo`` record followed by a
``request``, ``response`` and ``metadata`` record per URL, each record in its own
gzip member (WARC/1.1, written by warcio). Besides ordinary articles in ten
languages it deliberately contains traps: boilerplate-only pages, exact and near
duplicates, PII, non-UTF-8 pages (declared in the HTTP header only, in a
``<meta>`` tag only, not at all, and wrongly), a PDF, a PNG, binary bytes labelled
``text/html``, a 404, a 301 and an empty 200 response. ``samples/commoncrawl/README.md``
lists every URL with the case it covers and its expected fate in a pipeline.

Page texts live in ``samples/commoncrawl/pages/*.md`` (a tiny Markdown subset, see
``markup_to_html``); site chrome (menus, cookie banners, footers) lives in
``samples/commoncrawl/pages/sites.json``. The output is byte-for-byte
deterministic: fixed dates, record ids derived with ``uuid5`` from URL and record
type, and gzip members without a timestamp.

Regenerate with::

    python samples/make_commoncrawl_sample.py
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape as _escape
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent / "commoncrawl"
PAGES_DIR = HERE / "pages"
OUTPUT = HERE / "sample.warc.gz"

WARC_VERSION = "WARC/1.1"
REQUEST_TYPE = "application/http; msgtype=request"
RESPONSE_TYPE = "application/http; msgtype=response"
FIELDS_TYPE = "application/warc-fields"
CRAWL_START = datetime(2024, 3, 18, 6, 0, 0, tzinfo=UTC)
SECONDS_BETWEEN_FETCHES = 61
USER_AGENT = "CCBot/2.0 (https://commoncrawl.org/faq/)"
WARCINFO_ID = f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'warcinfo ' + OUTPUT.name)}>"
WARCINFO_FIELDS = {
    "isPartOf": "dolmakit-sample-commoncrawl",
    "description": "Synthetic Common-Crawl-style sample for dolmakit tests; all pages "
    "were written for it and all domains are fictitious.",
    "publisher": "dolmakit",
    "operator": "dolmakit maintainers",
    "software": "samples/make_commoncrawl_sample.py (warcio)",
    "robots": "classic",
    "format": "WARC File Format 1.1",
    "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
}


@dataclass(frozen=True)
class Page:
    """One fetched URL: what the server sent back and how the HTML is built."""

    url: str
    site: str  # key into sites.json "sites" (chrome, language, Server header)
    source: str = ""  # pages/<source>.md for HTML bodies
    body: str = "html"  # payload builder, a key of PAYLOADS
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    encoding: str = "UTF-8"  # codec the HTML bytes are written in
    meta_charset: str | None = "utf-8"  # <meta charset=...>; None: no tag
    edits: tuple[tuple[str, str], ...] = ()  # (old, new) text replacements
    headers: tuple[tuple[str, str], ...] = ()  # extra HTTP response headers


GAZETTE = "https://www.riverside-gazette.example/news/2024/03/14/library-reopens"
BEANS = "https://www.riverside-kitchen.example/recipes/slow-braised-white-beans"
HTTP_ONLY = "text/html"  # Content-Type without a charset parameter

SYNDICATED_VALLEY_NEWS = (
    (
        "By Claire Adeyemi · Local News · 14 March 2024",
        "By Claire Adeyemi, The Riverside Gazette · 15 March 2024",
    ),
    ("reopened its doors on Saturday morning", "welcomed readers back on Saturday morning"),
    (
        "on the council's website.",
        "on the council's website.\n\nThis article first appeared in The Riverside Gazette.",
    ),
)
SYNDICATED_HERALD = (
    (
        "Riverside Library Reopens After Two-Year Renovation",
        "Riverside's Restored Library Opens to Crowds",
    ),
    ("14 March 2024", "16 March 2024"),
    (
        "A small group of regular visitors has criticised the removal of the old periodicals room",
        "Some long-standing visitors say they will miss the old periodicals room",
    ),
)

PAGES: tuple[Page, ...] = (
    # Good long-form English articles (plus list and code-heavy pages).
    Page(BEANS, "riverside-kitchen", "en-cooking-white-beans"),
    Page(
        BEANS + "?utm_source=newsletter&utm_medium=email",
        "riverside-kitchen",
        "en-cooking-white-beans",
    ),  # exact duplicate body of BEANS
    Page(
        "https://www.riverside-kitchen.example/guides/pantry-staples",
        "riverside-kitchen",
        "en-list-pantry-staples",
    ),
    Page(
        "https://www.millbrook-history.example/articles/woollen-mills",
        "millbrook-history",
        "en-history-woollen-mills",
    ),
    Page(
        "https://www.millbrook-history.example/files/annual-report-2023.pdf",
        "millbrook-history",
        body="pdf",
        content_type="application/pdf",
    ),
    Page(
        "https://www.backyard-skies.test/guides/jupiter-moons",
        "backyard-skies",
        "en-astronomy-jupiter-moons",
    ),
    Page(
        "http://backyard-skies.test/jupiter-moons",
        "backyard-skies",
        body="empty",
        status=301,
        content_type=None,
        headers=(("Location", "https://www.backyard-skies.test/guides/jupiter-moons"),),
    ),
    Page(
        "https://www.backyard-skies.test/events/2019/perseids-meetup",
        "backyard-skies",
        body="not_found",
        status=404,
    ),
    Page(
        "https://www.greenfinch-gardens.example/advice/compost-heap",
        "greenfinch-gardens",
        "en-gardening-compost",
    ),
    Page(
        "https://static.greenfinch-gardens.example/img/logo-16.png",
        "greenfinch-gardens",
        body="png",
        content_type="image/png",
    ),
    Page(
        "https://www.spokes-and-gravel.example/blog/riding-through-winter",
        "spokes-and-gravel",
        "en-cycling-winter",
    ),
    Page(
        "https://www.spokes-and-gravel.example/routes/export?id=4471&format=html",
        "spokes-and-gravel",
        body="gzip_as_html",
    ),
    Page("https://devnotes.test/posts/small-pull-requests", "devnotes", "en-software-small-prs"),
    Page(
        "https://devnotes.test/tutorials/python-word-count", "devnotes", "en-code-python-word-count"
    ),
    # One news story syndicated three times (near duplicates).
    Page(GAZETTE, "riverside-gazette", "en-news-library-reopens"),
    Page(
        "https://www.valley-news.test/local/riverside-library-reopens-after-renovation",
        "valley-news",
        "en-news-library-reopens",
        edits=SYNDICATED_VALLEY_NEWS,
    ),
    Page(
        "https://www.northcounty-herald.example/story/riverside-restored-library-opens",
        "northcounty-herald",
        "en-news-library-reopens",
        edits=SYNDICATED_HERALD,
    ),
    # Boilerplate-only pages and an empty 200.
    Page("https://www.valley-news.test/tag/weather", "valley-news", "en-boilerplate-tag-weather"),
    Page("https://www.valley-news.test/live/ticker-fragment", "valley-news", body="empty"),
    Page(
        "https://shop.northwind-outdoor.example/account/login?return=%2Fcart",
        "northwind-outdoor",
        "en-boilerplate-shop-login",
    ),
    Page(
        "https://www.cityguide-portal.example/useful-links",
        "cityguide-portal",
        "en-boilerplate-useful-links",
    ),
    # PII.
    Page(
        "https://www.riverside-bakery.example/contact", "riverside-bakery", "en-pii-bakery-contact"
    ),
    # Other languages, UTF-8.
    Page(
        "https://www.wanderfreunde.example/touren/muehlenweg-herbst",
        "wanderfreunde",
        "de-wandern-muehlenweg",
    ),
    Page(
        "https://www.carnet-de-village.example/vie-locale/marche-du-samedi",
        "carnet-de-village",
        "fr-marche-du-samedi",
    ),
    Page(
        "https://www.cuaderno-del-olivar.example/tradiciones/cosecha-aceituna",
        "cuaderno-del-olivar",
        "es-cosecha-aceituna",
    ),
    Page(
        "https://www.ptitsy-ryadom.example/stati/%D0%BF%D1%82%D0%B8%D1%86%D1%8B-%D0%B2-"
        "%D0%B3%D0%BE%D1%80%D0%BE%D0%B4%D0%B5",
        "ptitsy-ryadom",
        "ru-ptitsy-v-gorode",
    ),
    Page(
        "https://www.chaxiang-notes.example/posts/longjing-spring",
        "chaxiang-notes",
        "zh-longjing-spring",
    ),
    Page("https://www.tabi-nikki.example/2024/01/yuki-onsen", "tabi-nikki", "ja-yuki-onsen"),
    Page(
        "https://www.qahwa-stories.example/articles/old-coffee-houses",
        "qahwa-stories",
        "ar-old-coffee-houses",
    ),
    Page(
        "https://www.monsoon-diary.example/posts/pehli-baarish", "monsoon-diary", "hi-pehli-baarish"
    ),
    Page("https://www.jip-bap.example/story/kimjang-day", "jip-bap", "ko-kimjang-day"),
    # Non-UTF-8 pages.
    Page(
        "https://www.babushkiny-recepty.example/vypechka/pirogi-s-kapustoy.html",
        "babushkiny-recepty",
        "ru-cp1251-pirogi",
        content_type="text/html; charset=windows-1251",
        encoding="windows-1251",
        meta_charset=None,
    ),  # declared in HTTP header only
    Page(
        "https://www.kisetsu-dayori.example/haru/sakura-kotsu.html",
        "kisetsu-dayori",
        "ja-sjis-sakura",
        content_type=HTTP_ONLY,
        encoding="Shift_JIS",
        meta_charset="Shift_JIS",
    ),  # declared in <meta> only
    Page(
        "https://www.gruener-daumen.example/ratgeber/zimmerpflanzen-winter.html",
        "gruener-daumen",
        "de-latin1-zimmerpflanzen",
        content_type=HTTP_ONLY,
        encoding="ISO-8859-1",
        meta_charset=None,
    ),  # not declared anywhere
    Page(
        "https://www.alpine-cafe-guide.example/vienna/cafe-groessl",
        "alpine-cafe-guide",
        "en-cp1252-cafe-groessl",
        encoding="windows-1252",
        meta_charset=None,
    ),  # HTTP header claims utf-8: a lie
)


# --- site chrome and page text ------------------------------------------------------------

CHROME: dict[str, Any] = json.loads((PAGES_DIR / "sites.json").read_text(encoding="utf-8"))
FENCE = re.compile(r"^```\n(.*?)^```\n?", re.S | re.M)


def escape(text: str) -> str:
    return _escape(text, quote=False)


def links(pairs: list[list[str]]) -> str:
    return "".join(f'\n<li><a href="{href}">{escape(label)}</a></li>' for label, href in pairs)


def block_to_html(block: str) -> str:
    """One blank-line separated block: raw HTML, ``## heading``, ``- list`` or a paragraph."""
    block = block.strip()
    lines = block.splitlines()
    if block.startswith("<"):
        return block
    if block.startswith("## "):
        return f"<h2>{escape(block[3:])}</h2>"
    if all(line.startswith("- ") for line in lines):
        items = "".join(f"\n<li>{escape(line[2:])}</li>" for line in lines)
        return f"<ul>{items}\n</ul>"
    return f"<p>{escape(' '.join(lines))}</p>"


def markup_to_html(text: str) -> str:
    """Convert the Markdown subset of pages/*.md (plus ``` fences) to HTML."""
    html: list[str] = []
    for index, part in enumerate(FENCE.split(text)):
        if index % 2:
            html.append(f"<pre><code>{escape(part.rstrip())}</code></pre>")
        else:
            html.extend(block_to_html(block) for block in part.split("\n\n") if block.strip())
    return "\n".join(html)


def load_source(page: Page) -> tuple[str, str, str]:
    """Title, byline and article HTML of a page, after applying its edits."""
    text = (PAGES_DIR / f"{page.source}.md").read_text(encoding="utf-8")
    for old, new in page.edits:
        if old not in text:
            raise ValueError(f"{page.url}: edit target not found: {old!r}")
        text = text.replace(old, new)
    head, _, rest = text.partition("\n\n")
    title, _, byline = head.partition("\n")
    return title, byline, markup_to_html(rest)


def render_document(page: Page, title: str, byline: str, article: str) -> str:
    site = CHROME["sites"][page.site]
    lang = CHROME["languages"][site["lang"]]
    direction = ' dir="rtl"' if lang.get("dir") == "rtl" else ""
    meta = f'<meta charset="{page.meta_charset}">\n' if page.meta_charset else ""
    byline_html = f'<p class="byline">{escape(byline)}</p>\n' if byline else ""
    canonical = page.url.split("?", 1)[0]
    sidebar_title, sidebar_links = site["sidebar"]
    copyright_line = lang["copyright"].format(year=2024, site=site["name"])
    return f"""<!DOCTYPE html>
<html lang="{site["lang"]}"{direction}>
<head>
{meta}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {escape(site["name"])}</title>
<link rel="canonical" href="{escape(canonical)}">
<link rel="stylesheet" href="/assets/css/main.css?v=20240301">
<script async src="/assets/js/consent.js"></script>
</head>
<body>
<a class="skip-link" href="#content">{escape(lang["skip"])}</a>
<div id="cookie-banner" class="cookie-banner" role="dialog">
<p>{escape(lang["cookie"])} <a href="/privacy">{escape(lang["privacy"])}</a></p>
<button class="accept">{escape(lang["accept"])}</button>
<button class="decline">{escape(lang["decline"])}</button>
</div>
<header class="site-header">
<a class="logo" href="/">{escape(site["name"])}</a>
<nav class="main-nav"><ul>{links(site["nav"])}
</ul></nav>
<form class="search" action="/search">
<input type="search" name="q" placeholder="{escape(lang["search"])}">
</form>
</header>
<main id="content">
<article>
<h1>{escape(title)}</h1>
{byline_html}{article}
</article>
</main>
<aside class="sidebar">
<h2>{escape(sidebar_title)}</h2>
<ul>{links(sidebar_links)}
</ul>
<div class="newsletter"><p>{escape(lang["newsletter"])}</p>
<form action="/newsletter"><input type="email" name="email">
<button>{escape(lang["subscribe"])}</button></form></div>
</aside>
<footer class="site-footer">
<ul>{links(lang["footer"])}
</ul>
<p>{escape(copyright_line)}</p>
</footer>
</body>
</html>
"""


# --- payload builders ---------------------------------------------------------------------


def html_body(page: Page) -> bytes:
    return render_document(page, *load_source(page)).encode(page.encoding)


def not_found_body(page: Page) -> bytes:
    return (
        b'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        b"<title>404 Not Found</title></head>\n<body>\n<h1>Page not found</h1>\n"
        b"<p>Sorry, the page you were looking for has moved or no longer exists.</p>\n"
        b'<p><a href="/">Back to the home page</a></p>\n</body>\n</html>\n'
    )


def gzip_as_html_body(page: Page) -> bytes:
    """A gzip stream served without Content-Encoding, so the 'HTML' is binary."""
    points = "\n".join(
        f"<tr><td>{i}</td><td>{52.1 + i * 0.0013:.4f}</td><td>{-1.4 + i * 0.0021:.4f}</td></tr>"
        for i in range(60)
    )
    html = f"<html><body><h1>Route 4471</h1><table>\n{points}\n</table></body></html>\n"
    return gzip.compress(html.encode(), compresslevel=9, mtime=0)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_body(page: Page, size: int = 16) -> bytes:
    """A tiny, valid 16x16 RGB PNG (a green gradient)."""
    rows = b"".join(
        b"\x00" + bytes(c for x in range(size) for c in (30 + 6 * x, 110 + 8 * y, 50))
        for y in range(size)
    )
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


PDF_LINES = (
    (18, "Millbrook Historical Society"),
    (14, "Annual Report 2023"),
    (11, "Membership rose to 412 households and volunteers gave over 3,000 hours."),
    (11, "The loom restoration was completed in June and demonstrations resumed."),
    (11, "Thank you to everyone who donated photographs and wage ledgers."),
)


def pdf_content_stream() -> str:
    ops = ["BT", "72 720 Td"]
    for size, text in PDF_LINES:
        safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"/F1 {size} Tf", f"({safe}) Tj", f"0 -{size + 10} Td"]
    return "\n".join([*ops, "ET"])


def pdf_body(page: Page) -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table."""
    stream = pdf_content_stream()
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Title (Annual Report 2023) /Producer (dolmakit sample) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{obj}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


PAYLOADS: dict[str, Callable[[Page], bytes]] = {
    "html": html_body,
    "empty": lambda page: b"",
    "not_found": not_found_body,
    "gzip_as_html": gzip_as_html_body,
    "png": png_body,
    "pdf": pdf_body,
}
IDENTIFIED_TYPES = {
    "html": "text/html",
    "not_found": "text/html",
    "gzip_as_html": "application/gzip",
    "png": "image/png",
    "pdf": "application/pdf",
}


# --- WARC and HTTP headers ----------------------------------------------------------------


def sha256_of(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def record_id(url: str, record_type: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{url} {record_type}')}>"


def ip_address(url: str) -> str:
    """A stable documentation-range (RFC 5737) address per host."""
    seed = sha256_of(urlsplit(url).hostname or "")
    prefix = ("192.0.2", "198.51.100", "203.0.113")[seed[0] % 3]
    return f"{prefix}.{seed[1] % 250 + 3}"


def warc_date(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def network_headers(url: str) -> list[tuple[str, str]]:
    ip = ("WARC-IP-Address", ip_address(url))
    if url.startswith("https:"):
        return [
            ip,
            ("WARC-Protocol", "http/1.1"),
            ("WARC-Protocol", "tls/1.3"),
            ("WARC-Cipher-Suite", "TLS_AES_128_GCM_SHA256"),
        ]
    return [ip, ("WARC-Protocol", "http/1.1")]


def warc_headers(
    record_type: str, content_type: str, url: str, when: datetime, extra: list[tuple[str, str]]
) -> StatusAndHeaders:
    headers = [
        ("WARC-Type", record_type),
        ("WARC-Date", warc_date(when)),
        ("WARC-Record-ID", record_id(url, record_type)),
        ("Content-Length", "0"),  # recomputed by warcio
        ("Content-Type", content_type),
        ("WARC-Warcinfo-ID", WARCINFO_ID),
        *extra,
        ("WARC-Target-URI", url),
    ]
    return StatusAndHeaders("", headers, protocol=WARC_VERSION)


def request_http_headers(url: str) -> StatusAndHeaders:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = [
        ("User-Agent", USER_AGENT),
        ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("Accept-Language", "en-US,en;q=0.5"),
        ("Accept-Encoding", "br,gzip"),
        ("Host", parts.netloc),
        ("Connection", "Keep-Alive"),
    ]
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


def response_http_headers(page: Page, body: bytes, when: datetime) -> StatusAndHeaders:
    headers = [
        ("Date", format_datetime(when, usegmt=True)),
        ("Server", CHROME["sites"][page.site]["server"]),
    ]
    if page.content_type:
        headers.append(("Content-Type", page.content_type))
    if page.status == 200 and page.body == "html":
        headers.append(("Last-Modified", format_datetime(when - timedelta(days=9), usegmt=True)))
        headers.append(("Cache-Control", "max-age=600"))
        headers.append(("X-Crawler-Content-Encoding", "gzip"))  # as CC does after decoding
    headers += [*page.headers, ("Content-Length", str(len(body))), ("Connection", "keep-alive")]
    status = f"{page.status} {HTTPStatus(page.status).phrase}"
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def metadata_fields(page: Page, body: bytes) -> bytes:
    """Common Crawl style ``application/warc-fields`` for the metadata record."""
    fields = [("fetchTimeMs", str(80 + int.from_bytes(sha256_of(page.url)[:2]) % 1200))]
    if page.body == "html" and body:
        lang = CHROME["sites"][page.site]["lang"]
        info = CHROME["languages"][lang]
        cld2 = {
            "reliable": True,
            "languages": [
                {
                    "code": lang,
                    "code-iso-639-3": info["iso3"],
                    "text-covered": 0.97,
                    "name": info["name"],
                }
            ],
        }
        fields += [
            ("charset-detected", page.encoding),
            ("languages-cld2", json.dumps(cld2, separators=(",", ":"))),
        ]
    return "".join(f"{name}: {value}\r\n" for name, value in fields).encode()


# --- records ------------------------------------------------------------------------------


def warcinfo_record(writer: WARCWriter) -> ArcWarcRecord:
    payload = "".join(f"{k}: {v}\r\n" for k, v in WARCINFO_FIELDS.items()).encode()
    headers = StatusAndHeaders(
        "",
        [
            ("WARC-Type", "warcinfo"),
            ("WARC-Date", warc_date(CRAWL_START)),
            ("WARC-Record-ID", WARCINFO_ID),
            ("Content-Length", "0"),
            ("Content-Type", FIELDS_TYPE),
            ("WARC-Filename", OUTPUT.name),
        ],
        protocol=WARC_VERSION,
    )
    return writer.create_warc_record(
        "", "warcinfo", payload=BytesIO(payload), length=len(payload), warc_headers=headers
    )


def request_record(writer: WARCWriter, page: Page, when: datetime) -> ArcWarcRecord:
    extra = [("WARC-Concurrent-To", record_id(page.url, "response")), *network_headers(page.url)]
    return writer.create_warc_record(
        page.url,
        "request",
        http_headers=request_http_headers(page.url),
        warc_headers=warc_headers("request", REQUEST_TYPE, page.url, when, extra),
    )


def response_record(writer: WARCWriter, page: Page, body: bytes, when: datetime) -> ArcWarcRecord:
    extra = [("WARC-Concurrent-To", record_id(page.url, "request")), *network_headers(page.url)]
    if page.body in IDENTIFIED_TYPES:
        extra.append(("WARC-Identified-Payload-Type", IDENTIFIED_TYPES[page.body]))
    return writer.create_warc_record(
        page.url,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=response_http_headers(page, body, when),
        warc_headers=warc_headers("response", RESPONSE_TYPE, page.url, when, extra),
    )


def metadata_record(writer: WARCWriter, page: Page, body: bytes, when: datetime) -> ArcWarcRecord:
    fields = metadata_fields(page, body)
    extra = [("WARC-Concurrent-To", record_id(page.url, "response"))]
    return writer.create_warc_record(
        page.url,
        "metadata",
        payload=BytesIO(fields),
        length=len(fields),
        warc_headers=warc_headers("metadata", FIELDS_TYPE, page.url, when, extra),
    )


def page_records(writer: WARCWriter, page: Page, when: datetime) -> list[ArcWarcRecord]:
    """The request, response and metadata records of one fetch, in Common Crawl order."""
    body = PAYLOADS[page.body](page)
    return [
        request_record(writer, page, when),
        response_record(writer, page, body, when),
        metadata_record(writer, page, body, when),
    ]


def gzip_member_mtimes(data: bytes) -> Iterator[int]:
    """MTIME field of every gzip member (warcio's zlib-based writer leaves it 0)."""
    while data:
        yield struct.unpack("<I", data[4:8])[0]
        member = zlib.decompressobj(zlib.MAX_WBITS | 16)
        member.decompress(data)
        data = member.unused_data


def build_warc() -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version=WARC_VERSION)
    writer.write_record(warcinfo_record(writer))
    for index, page in enumerate(PAGES):
        when = CRAWL_START + timedelta(seconds=SECONDS_BETWEEN_FETCHES * (index + 1))
        for record in page_records(writer, page, when):
            writer.write_record(record)
    data = buffer.getvalue()
    if any(gzip_member_mtimes(data)):
        raise RuntimeError("a gzip member carries a timestamp; output would not be reproducible")
    return data


def main() -> None:
    data = build_warc()
    OUTPUT.write_bytes(data)
    print(
        f"wrote {OUTPUT} ({len(PAGES)} URLs, {len(data):,} bytes, "
        f"sha256 {hashlib.sha256(data).hexdigest()})"
    )


if __name__ == "__main__":
    main()
