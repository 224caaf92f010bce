"""URL rules: domain blocklists and banned words in the URL, as datatrove's URLFilter has them.

`url_filter_v1` is a tagger; the `filter` presets `url` in taggers/ remove on its attributes
with the reasons `url_blocked_domain` and `url_banned_word`. Tagger plus filter, like every rule
here, so the report and the thresholds (how many soft words) stay in YAML.

Lists are the user's files; dolmakit ships none (the public ones, such as UT1's, carry their own
licences). A blocklist holds one domain a line, hosts-file lines (`0.0.0.0 ads.example.com`,
several names after one address), `||example.com^` adblock lines or URLs; `#` and `!` start
comments. Blocking example.com blocks every subdomain (a.b.example.com), never notexample.com.
Word lists hold one word a line. Files are read with Beam's filesystems (local, gs://, s3://),
gzip/bz2/zstd by suffix, in setup(): once per worker.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from dolmakit.core.document import Document, Span, whole_document
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Tagger, register_step
from dolmakit.io.files import file_exists, lines, open_decompressed

# hostnames every hosts file lists for the machine itself
_HOSTS_FILE_NAMES = frozenset(
    str.split(
        "localhost localhost.localdomain local broadcasthost ip6-localhost ip6-loopback "
        "ip6-localnet ip6-mcastprefix ip6-allnodes ip6-allrouters ip6-allhosts"
    )
)
_WORD_SPLIT = re.compile(r"[\W_]+")
_OTHER_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?![0-9])")  # a scheme, not a host:port


@dataclass
class UrlFilterConfig:
    # blocklist files: domains, hosts-file lines, adblock `||domain^` lines or URLs
    blocklists: list[str] = field(default_factory=list)
    # word files: a URL with any banned word (a whole word of the URL) is tagged
    banned_words: list[str] = field(default_factory=list)
    # ... soft banned words, counted (datatrove removes at 2 or more: a filter threshold)
    soft_banned_words: list[str] = field(default_factory=list)
    # ... banned subwords, found anywhere in the URL's letters and digits ("porn" in "freeporn")
    banned_subwords: list[str] = field(default_factory=list)
    # the metadata key holding the URL
    url_key: str = "url"


@register_step
class UrlFilterTagger(Tagger):
    """blocked_domain (0/1) and banned_words, soft_banned_words, banned_subwords (counts) of a
    document's URL; a document without a URL gets no attributes, so no rule removes it."""

    type_name = "url_filter_v1"
    Config = UrlFilterConfig

    def __init__(self, name: str, config: UrlFilterConfig):
        super().__init__(name, config)
        lists = {
            "blocklists": config.blocklists,
            "banned_words": config.banned_words,
            "soft_banned_words": config.soft_banned_words,
            "banned_subwords": config.banned_subwords,
        }
        if not any(lists.values()):
            raise ConfigError(
                "give `blocklists` or a word list (`banned_words`, "
                "`soft_banned_words`, `banned_subwords`)"
            )
        for key, paths in lists.items():
            for path in paths:
                if not file_exists(path):
                    raise ConfigError(f"no such list file: {path}", key=key)
        self.domains: set[str] | None = None
        self.words: frozenset[str] = frozenset()
        self.soft_words: frozenset[str] = frozenset()
        self.subwords: re.Pattern | None = None

    def setup(self) -> None:
        config = self.config
        self.domains = {d for path in config.blocklists for d in read_blocklist(path)}
        self.words = frozenset(w for path in config.banned_words for w in read_words(path))
        self.soft_words = frozenset(w for p in config.soft_banned_words for w in read_words(p))
        subwords = {_letters_and_digits(w) for p in config.banned_subwords for w in read_words(p)}
        subwords.discard("")
        if subwords:  # longest first, so the alternation reports whole entries
            alternatives = "|".join(map(re.escape, sorted(subwords, key=len, reverse=True)))
            self.subwords = re.compile(alternatives)

    def predict(self, doc: Document) -> dict[str, list[Span]]:
        if self.domains is None:
            self.setup()
        url = doc.metadata.get(self.config.url_key)
        if not isinstance(url, str) or not url.strip():
            self.stats["no_url"] += 1
            return {}
        scores: dict[str, float] = {}
        if self.config.blocklists:
            scores["blocked_domain"] = float(is_blocked(host_of(url), self.domains))
        words = set(_WORD_SPLIT.split(unquote(url).lower()))
        if self.config.banned_words:
            scores["banned_words"] = float(len(words & self.words))
        if self.config.soft_banned_words:
            scores["soft_banned_words"] = float(len(words & self.soft_words))
        if self.config.banned_subwords:
            found = self.subwords.findall(_letters_and_digits(url)) if self.subwords else []
            scores["banned_subwords"] = float(len(set(found)))
        for key, score in scores.items():
            self.stats[f"{key}/{'yes' if score else 'no'}"] += 1
        return {key: whole_document(doc, score) for key, score in scores.items()}


def host_of(url: str) -> str | None:
    """The URL's host, lower case, without a trailing dot, IDNA-encoded; None if it has none."""
    url = url.strip()
    if "://" not in url and not url.startswith("//"):
        if _OTHER_SCHEME.match(url):  # mailto:, data:, javascript:
            return None
        url = "//" + url  # example.com/path: a host without a scheme
    try:
        host = urlsplit(url).hostname
    except ValueError:  # a broken [IPv6] literal
        return None
    return normalize_domain(host) if host else None


def normalize_domain(domain: str) -> str:
    domain = domain.strip().lower().rstrip(".").removeprefix("*.").lstrip(".")
    if not domain.isascii():
        with contextlib.suppress(UnicodeError):  # a label IDNA refuses is compared as it is
            domain = domain.encode("idna").decode("ascii")
    return domain


def is_blocked(host: str | None, domains: set[str]) -> bool:
    """Whether the host or any domain it is a subdomain of is in the blocklist."""
    if not host:
        return False
    if host in domains:
        return True
    if _is_ip(host):  # 10.1.2.3 is no subdomain of 1.2.3
        return False
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(1, len(labels)))


def read_blocklist(path: str) -> set[str]:
    domains: set[str] = set()
    with open_decompressed(path) as stream:
        for raw in lines(stream):
            domains.update(parse_blocklist_line(raw.decode("utf-8", "replace")))
    return domains


def parse_blocklist_line(line: str) -> list[str]:
    """The domains one line of a blocklist names (none for comments and hosts-file boilerplate)."""
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith(("!", "[")):  # adblock comments and headers
        return []
    tokens = line.split()
    hosts_file = len(tokens) > 1 and _is_ip(tokens[0])  # an address, then names
    names = tokens[1:] if hosts_file else tokens[:1]
    domains = []
    for name in names:
        if name.startswith("||"):  # adblock: ||example.com^$third-party
            name = re.split(r"[\^/$]", name[2:], maxsplit=1)[0]
        elif "/" in name:
            name = host_of(name) or ""
        domain = normalize_domain(name)
        if domain and domain not in _HOSTS_FILE_NAMES and not _is_ip(domain):
            domains.append(domain)
    return domains


def read_words(path: str) -> list[str]:
    with open_decompressed(path) as stream:
        words = (
            raw.decode("utf-8", "replace").split("#", 1)[0].strip().lower() for raw in lines(stream)
        )
        return [word for word in words if word]


def _letters_and_digits(text: str) -> str:
    return _WORD_SPLIT.sub("", unquote(text).lower())


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
