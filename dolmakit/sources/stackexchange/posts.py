"""One `<row .../>` line of a Stack Exchange Posts.xml, and the post document made of it.

The dump writes every post on a line of its own, its attributes XML-escaped (newlines in a body
are `&#xA;`), so a row parses alone: a malformed one costs that row and nothing after it. The
attributes used: Id, PostTypeId (1 question, 2 answer; others are wiki and moderation posts),
ParentId (an answer's question), AcceptedAnswerId, Score, Body (escaped HTML), Title, Tags
(`<a><b>` in dumps up to 2023, `|a|b|` since) and CreationDate (UTC, ISO 8601 without a zone:
`created` gets the `Z` that says so).

Licence: content is CC BY-SA, in the version in force when it was contributed: 2.5 before
2011-04-08, 3.0 before 2018-05-02, 4.0 since (Stack Exchange's licensing page). Dumps since 2019
name it per post (ContentLicense="CC BY-SA 4.0"); older ones do not, and CreationDate decides.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from dolmakit.core.document import Document

QUESTION, ANSWER = 1, 2
POST_KINDS = {QUESTION: "question", ANSWER: "answer"}
_LICENSE_SINCE = (("2018-05-02", "CC-BY-SA-4.0"), ("2011-04-08", "CC-BY-SA-3.0"))
_ANGLE_TAGS = re.compile(r"<([^<>]+)>")


@dataclass
class Post:
    id: int
    type: int
    body: str  # HTML
    title: str
    tags: list[str]
    score: int
    created: str
    license: str
    parent_id: int | None = None
    accepted_answer_id: int | None = None


def parse_row(row: str) -> Post:
    """The post of one `<row .../>` element; ValueError says what is wrong with it."""
    try:
        element = ET.fromstring(row)
    except ET.ParseError as error:  # a SyntaxError: made a ValueError like every other defect
        raise ValueError(f"malformed row: {error}") from None
    if element.tag != "row":
        raise ValueError(f"expected a <row> element, got <{element.tag}>")
    attributes = element.attrib
    created = attributes.get("CreationDate", "")
    return Post(
        id=_integer(attributes, "Id", required=True),
        type=_integer(attributes, "PostTypeId", required=True),
        body=attributes.get("Body", ""),
        title=attributes.get("Title", ""),
        tags=parse_tags(attributes.get("Tags", "")),
        score=_integer(attributes, "Score") or 0,
        created=created,
        license=_license(attributes.get("ContentLicense", ""), created),
        parent_id=_integer(attributes, "ParentId"),
        accepted_answer_id=_integer(attributes, "AcceptedAnswerId"),
    )


def _integer(attributes: dict[str, str], name: str, required: bool = False) -> int | None:
    value = attributes.get(name)
    if value is None:
        if required:
            raise ValueError(f"row without {name}")
        return None
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} is not an integer: {value[:40]!r}") from None


def parse_tags(tags: str) -> list[str]:
    """`<python><list>` (dumps up to 2023) or `|python|list|` (since) -> ["python", "list"]."""
    if tags.startswith("<"):
        return _ANGLE_TAGS.findall(tags)
    return [tag for tag in tags.split("|") if tag]


def site_from_path(path: str) -> str:
    """The site of a Posts.xml: its folder's name (`math.stackexchange.com/Posts.xml`), less the
    `-Posts` that `7z x stackoverflow.com-Posts.7z -ostackoverflow.com-Posts` would leave."""
    folder = posixpath.basename(posixpath.dirname(path.replace("\\", "/")))
    return folder.removesuffix("-Posts").lower()


def _license(named: str, created: str) -> str:
    """The licence named by the row ("CC BY-SA 4.0" -> "CC-BY-SA-4.0", SPDX's spelling), or
    without a name the one in force on the creation date."""
    if named.strip():
        return "-".join(named.split())
    if not created:
        return "CC-BY-SA"  # the version is unknown
    for since, name in _LICENSE_SINCE:
        if created >= since:
            return name
    return "CC-BY-SA-2.5"


def _utc(created: str) -> str:
    """A dump's time, UTC without saying so ("2017-06-02T09:15:00.000"), with the `Z` added."""
    return f"{created}Z" if created and created[-1].isdigit() else created


def post_url(site: str, post: Post) -> str:
    if post.type == ANSWER:
        return f"https://{site}/a/{post.id}"
    return f"https://{site}/questions/{post.id}"


def post_document(post: Post, text: str, site: str, source: str, added: str) -> Document:
    """A post as a document: `<site>/<post id>`, its body's text, what threading needs in
    metadata (site, post_id, post_type, parent_id or accepted_answer_id, score, title, tags)."""
    metadata: dict = {
        "site": site,
        "post_id": post.id,
        "post_type": POST_KINDS.get(post.type, str(post.type)),
        "url": post_url(site, post),
        "score": post.score,
        "license": post.license,
    }
    if post.type == QUESTION:
        metadata.update(title=post.title, tags=post.tags)
        if post.accepted_answer_id is not None:
            metadata["accepted_answer_id"] = post.accepted_answer_id
    if post.parent_id is not None:
        metadata["parent_id"] = post.parent_id
    return Document(
        id=f"{site}/{post.id}",
        text=text,
        source=source,
        added=added,
        created=_utc(post.created),
        metadata=metadata,
    )
