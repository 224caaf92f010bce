"""A page's main container: the element that holds most of the paragraph text resiliparse keeps.

resiliparse's main-content rules judge each element on its own (its tag, class names, link
density), so what no rule names stays in: related-article teasers, photo-gallery controls,
newsletter boxes, cookie notices, the site's blurb under the article. Most pages put their
article body inside one element, though. Of the paragraphs resiliparse keeps (<p> elements of
at least MIN_CHARS characters), at least SHARE of the characters lie under one element: the
deepest such element is the page's main container, and only its text is kept. A page whose
paragraphs hold less than PARAGRAPH_SHARE of its kept text (text in <div>s and <br>s, lists,
tables), or less than MIN_TOTAL characters, keeps resiliparse's whole main content.

In most pages this costs one extraction: a first container is chosen from all the page's
paragraphs and marked by a text node at its start and at its end (MARK); the extraction's text
then says which paragraphs resiliparse kept, and when those choose the same container, its text
is what lies between the marks. Otherwise (the first choice counted paragraphs that resiliparse
dropped, such as a comment section's) the marks are removed, everything outside the container
chosen from the kept paragraphs is hidden, and the page is extracted again.

Two misfires are mended:
- An article body split into blocks (an advertisement between its opening and the rest) can leave
  the opening outside the container, which needs only SHARE of the paragraphs. When the
  container lies in an <article> element (HTML's element for one self-contained composition) and
  that article's kept paragraphs before the container hold MIN_TOTAL characters or more, the
  container is the article, with its headline, byline and opening. A standfirst of a sentence or
  two does not widen it.
- A rule of resiliparse that fires above the article keeps nothing of the page: a wrapper whose
  class name reads as the site's header (`site_header`), or the one element matching its
  selector of article roots (`.single-post`, `[role=main]`...) being an empty copy of <body>'s
  classes. When the extraction is empty although the page's paragraphs hold MIN_TOTAL characters,
  the first container is extracted alone: everything beside the path from it up to <body> is
  removed, and the elements on that path lose their class, id and role, the names those rules
  guess from. The container and what lies below it are judged as always, so a comment section,
  or an element hidden by its `hidden`, `style` or `aria-hidden` attribute, stays out.
"""

from __future__ import annotations

from collections.abc import Callable
from string import whitespace

from resiliparse.parse.html import ELEMENT, TEXT, HTMLTree, Node

MIN_CHARS = 25  # shorter <p> are captions, bylines, buttons: no sign of where the article is
MIN_TOTAL = 200  # paragraph characters below which a page has no article body to find
SHARE = 0.8  # of the paragraph characters the container must hold
# the first guess, from all paragraphs, aims deeper: some of them resiliparse drops
FIRST_SHARE = 0.6
PARAGRAPH_SHARE = 0.5  # of the kept text the paragraphs must hold for a container to be sought
MARK = "\x1f"  # a control character no page shows; a page that has one is never marked
_ROOTS = ("body", "html", "#document")
_ALWAYS_KEPT = ("h1", "main")  # main content whatever their attributes say
_NAMES = ("class", "id", "role")  # the attributes resiliparse's rules read names in


def main_text(tree: HTMLTree, html: str, extract: Callable[[HTMLTree], str]) -> str:
    """The text of the page's main container as `extract` (resiliparse's main-content
    extraction) writes it, or all of extract(tree) when the page has no such container."""
    body = tree.body
    if body is None:
        return extract(tree)
    paragraphs = _Paragraphs(body)
    first = paragraphs.container() if MARK not in html else None
    marks = _mark(tree, first) if first is not None else []
    text = extract(tree)
    pieces = text.split(MARK)
    chosen = paragraphs.container(kept=_flat(" ".join(pieces)))
    if chosen is not None and chosen == first and len(pieces) == 3:
        return pieces[1]
    for mark in marks:
        mark.decompose()
    if chosen is None:
        if not text.strip(MARK + whitespace) and (found := first or paragraphs.container()):
            _isolate(found)  # the rules kept nothing of a page with an article body
            return extract(tree)
        return extract(tree) if marks else text
    _hide_outside(chosen)
    return extract(tree)


class _Paragraphs:
    """The page's <p> of at least MIN_CHARS characters as (parent, text with whitespace
    collapsed), and the parent of every element above them (asked of the DOM once each)."""

    def __init__(self, body: Node):
        self.items: list[tuple[Node, str]] = []
        self.up: dict[Node, Node | None] = {}
        for p in body.get_elements_by_tag_name("p").values():  # values(): one call, not one a p
            text = _flat(p.text)
            if len(text) >= MIN_CHARS:
                node = p.parent
                self.items.append((node, text))
                while node is not None and node not in self.up:
                    parent = node.parent
                    self.up[node] = parent
                    node = parent

    def container(self, kept: str | None = None) -> Node | None:
        """The deepest element holding SHARE of the characters of the paragraphs in `kept`, the
        extracted text (without it: FIRST_SHARE of all paragraphs, the first guess); None when
        that is the whole body or there is too little."""
        weights: dict[Node, int] = {}  # each paragraph's parent: its paragraphs' characters
        for parent, text in self.items:
            if kept is None or text in kept:
                weights[parent] = weights.get(parent, 0) + len(text)
        total = sum(weights.values())
        if total < MIN_TOTAL or kept is not None and total < PARAGRAPH_SHARE * len(kept):
            return None
        held: dict[Node, int] = {}  # the characters below each element
        for node, weight in weights.items():
            while node is not None:
                held[node] = held.get(node, 0) + weight
                node = self.up[node]
        # the elements holding more than half of the characters (both shares are) form one
        # chain down from the root: the one holding least is the deepest (on a tie the deeper
        # came first)
        best, least = None, None
        share = SHARE if kept is not None else FIRST_SHARE
        for node, weight in held.items():
            if weight >= share * total and (least is None or weight < least):
                best, least = node, weight
        if best is None or best.tag in _ROOTS:
            return None
        if kept is not None and total - held[best] >= MIN_TOTAL:
            return self._with_opening(best, kept)
        return best

    def _with_opening(self, node: Node, kept: str) -> Node:
        """The <article> holding `node` when its kept paragraphs before `node` hold MIN_TOTAL
        characters or more (the article's opening), else `node`."""
        article = self.up[node]
        while article is not None and article.tag != "article":
            article = self.up[article]
        if article is None:
            return node
        before = 0
        for parent, text in self.items:  # in the page's order
            if self._below(parent, node):
                break
            if text in kept and self._below(parent, article):
                before += len(text)
        return article if before >= MIN_TOTAL else node

    def _below(self, node: Node | None, ancestor: Node) -> bool:
        while node is not None and node != ancestor:
            node = self.up[node]
        return node is not None


def _mark(tree: HTMLTree, node: Node) -> list[Node]:
    marks = [tree.create_text_node(MARK), tree.create_text_node(MARK)]
    node.prepend(marks[0])
    node.append(marks[1])
    return marks


def _hide_outside(node: Node) -> None:
    """Leaves only `node` for main-content extraction to see: every element beside the path from
    it up to <body> gets the `hidden` attribute (cheaper than removing it), except <h1> and
    <main>, which resiliparse keeps whatever their attributes, and text, which are removed."""
    while node.tag not in _ROOTS and (parent := node.parent) is not None:
        removed = []
        sibling = parent.first_child
        while sibling is not None:
            if sibling != node:
                if sibling.type != ELEMENT:
                    if sibling.type == TEXT and sibling.text.strip():
                        removed.append(sibling)
                elif sibling.tag in _ALWAYS_KEPT:
                    removed.append(sibling)
                else:
                    sibling.setattr("hidden", "")
            sibling = sibling.next_sibling
        for sibling in removed:
            sibling.decompose()
        node = parent


def _isolate(node: Node) -> None:
    """Leaves only `node` in the page: everything beside the path from it up to <body> is removed,
    and the elements on that path lose the names resiliparse's rules read (class, id, role)."""
    while node.tag not in _ROOTS and (parent := node.parent) is not None:
        sibling = parent.first_child
        while sibling is not None:
            following = sibling.next_sibling
            if sibling != node:
                sibling.decompose()
            sibling = following
        if parent.tag not in _ROOTS:
            for name in _NAMES:
                if parent.hasattr(name):
                    parent.delattr(name)
        node = parent


def _flat(text: str) -> str:
    return " ".join(text.split())
