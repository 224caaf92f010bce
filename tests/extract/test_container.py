"""Tests for narrowing main content to the page's main container (dolmakit.extract.container)."""

from __future__ import annotations

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from dolmakit.extract import container
from dolmakit.extract.html import HtmlConfig, html_to_text

STORY = [
    "The council voted on Tuesday to rebuild the old harbour wall before the winter storms.",
    "Work starts in March, and the builders expect the new wall to stand for a whole century.",
    "Residents had asked for the repair since the flood of 2019, when the sea reached the square.",
    "The cost, four million euros, is shared between the town, the region and a fishing fund.",
    "A temporary barrier of sandbags will protect the quay while the old stones are replaced.",
]
TEASER = "Read next: the mayor explains why the ferry timetable is changing again this spring."
COMMENT = "I walked past the harbour yesterday and the wall really does look ready to fall over."
HEADLINE = "Harbour wall to be rebuilt"
ARTICLE = "\n\n".join(STORY)  # the headline lies outside the article body's element


def page(comments: int, story: list[str] = STORY) -> str:
    """An article beside a related-story teaser (no class name resiliparse knows), a comment
    section of `comments` replies, navigation and a footer."""
    paragraphs = "".join(f"<p>{s}</p>" for s in story)
    replies = "".join(f"<p>{COMMENT}</p>" for _ in range(comments))
    return f"""<html><head><title>Harbour wall to be rebuilt</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="layout">
<article><h1>{HEADLINE}</h1><div class="text">{paragraphs}</div></article>
<div class="more"><p>{TEASER}</p></div>
<section class="comments">{replies}</section>
</div>
<footer>Copyright 2024 The Harbour Gazette. All rights reserved.</footer>
</body></html>"""


def extractions(html: str) -> tuple[str, int]:
    """(main_text's text, stripped; how many extractions it ran)."""
    calls = []

    def extract(tree: HTMLTree) -> str:
        calls.append(tree)
        return extract_plain_text(tree, main_content=True, comments=False)

    return container.main_text(HTMLTree.parse(html), html, extract).strip(), len(calls)


def test_an_article_page_keeps_the_article_text_only() -> None:
    assert html_to_text(page(comments=0), HtmlConfig()) == (ARTICLE, HEADLINE)
    # resiliparse's rules alone keep the teaser: no rule names it
    assert html_to_text(page(comments=0), HtmlConfig(container=False))[0] == (
        f"{HEADLINE}\n\n{ARTICLE}\n\n{TEASER}"
    )


def test_one_extraction_when_the_kept_paragraphs_choose_the_marked_container() -> None:
    assert extractions(page(comments=0)) == (ARTICLE, 1)


def test_outside_the_container_nothing_is_kept() -> None:
    # loose text and the <h1> beside the container, which `hidden` cannot hide from resiliparse
    html = page(comments=6).replace('<div class="text">', 'loose words<div class="text">')
    assert extractions(html) == (ARTICLE, 2)
    assert "loose words" in html_to_text(html, HtmlConfig(container=False))[0]


def test_a_comment_section_resiliparse_drops_makes_the_choice_again() -> None:
    # six replies hold most of the page's paragraphs, so the first choice is the whole layout;
    # resiliparse drops the comment section, and the kept paragraphs choose the article
    assert extractions(page(comments=6)) == (ARTICLE, 2)
    assert html_to_text(page(comments=6), HtmlConfig())[0] == ARTICLE


def test_comments_true_keeps_the_comment_section() -> None:
    text, _ = html_to_text(page(comments=2), HtmlConfig(comments=True))
    assert text == "\n\n".join([HEADLINE, ARTICLE, TEASER, COMMENT, COMMENT])


def test_a_page_without_paragraphs_keeps_all_its_main_content() -> None:
    html = """<html><body><nav><a href="/">Home</a></nav>
<div>First line of a page without paragraphs<br>and a second line of it</div>
<div class="text">More text in a div of its own, as old pages have it.</div></body></html>"""
    expected = (
        "First line of a page without paragraphs\nand a second line of it\n"
        "More text in a div of its own, as old pages have it."
    )
    assert extractions(html) == (expected, 1)
    assert html_to_text(html, HtmlConfig())[0] == expected


def test_too_few_paragraph_characters_keep_all_the_main_content() -> None:
    short = [STORY[0]]  # with the teaser 172 paragraph characters: below MIN_TOTAL
    text, calls = extractions(page(comments=0, story=short))
    assert (text, calls) == ("\n\n".join([HEADLINE, *short, TEASER]), 1)


def test_paragraphs_holding_little_of_the_text_keep_all_the_main_content() -> None:
    listing = "".join(
        f"<div>Listing line number {i} of a long catalogue page</div>" for i in range(20)
    )
    html = page(comments=0).replace("<footer>", f"<div class='list'>{listing}</div><footer>")
    text, calls = extractions(html)
    assert calls == 2  # marked, then extracted again without the marks
    assert text.startswith(f"{HEADLINE}\n\n{ARTICLE}\n\n{TEASER}\n\nListing line number 0 of")
    assert text.endswith("Listing line number 19 of a long catalogue page")


def test_a_page_holding_the_mark_character_is_not_marked() -> None:
    html = page(comments=0).replace("</nav>", f"</nav><div>{container.MARK}</div>")
    assert extractions(html) == (ARTICLE, 2)


def test_without_main_content_there_is_no_container() -> None:
    text, _ = html_to_text(page(comments=1), HtmlConfig(main_content=False))
    assert ARTICLE in text and TEASER in text and COMMENT in text and "Copyright 2024" in text
