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


# --- an article body split by an advertisement: its headline and opening stay in ---------------

OPENING = [
    "The harbour wall that has stood since 1890 will be taken down stone by stone this winter.",
    "Engineers found last year that the sea had hollowed out its base along half of its length.",
    "The town asked three firms for plans; the cheapest, a wall of concrete, was turned down.",
]
BODY = [
    f"Part {n} of the plan: the old stones are numbered, stored and set back in place."
    for n in range(20)
]
BYLINE = "By Ann Writer"


def split_article(opening: list[str], element: str = "article") -> str:
    """A headline, a byline and an opening, then an advertisement, then the rest of the body,
    which holds more than SHARE of the paragraph text; a teaser below."""
    first = "".join(f"<p>{s}</p>" for s in opening)
    rest = "".join(f"<p>{s}</p>" for s in BODY)
    return f"""<html><body><nav><a href="/">Home</a></nav><div class="layout">
<{element}><h1>{HEADLINE}</h1><p>{BYLINE}</p><div class="body-1">{first}</div>
<div class="advertisement">Advertisement</div><div class="body-2">{rest}</div></{element}>
<div class="more"><p>{TEASER}</p></div></div></body></html>"""


def test_an_article_split_by_an_advertisement_keeps_its_headline_and_opening() -> None:
    text = "\n\n".join([HEADLINE, BYLINE, *OPENING, *BODY])
    assert extractions(split_article(OPENING)) == (text, 2)
    # the rest of the body alone holds SHARE of the kept paragraphs, and was the container
    assert sum(map(len, BODY)) >= container.SHARE * sum(map(len, [*OPENING, *BODY, TEASER]))


def test_a_standfirst_shorter_than_min_total_does_not_widen_the_container() -> None:
    standfirst = OPENING[:2]  # 178 characters
    assert sum(map(len, standfirst)) < container.MIN_TOTAL
    assert extractions(split_article(standfirst)) == ("\n\n".join(BODY), 1)


def test_outside_an_article_element_the_opening_is_not_sought() -> None:
    assert extractions(split_article(OPENING, element="div")) == ("\n\n".join(BODY), 1)


# --- resiliparse's rules keep nothing of a page that has an article body -------------------------


def rules_alone(html: str) -> str:
    return extract_plain_text(HTMLTree.parse(html), main_content=True, comments=False)


def test_an_article_in_a_wrapper_named_like_the_page_header_is_kept() -> None:
    # resiliparse drops any block whose class reads as the site's header, and all inside it
    html = page(comments=0).replace('<div class="layout">', '<div class="row site_header">')
    assert rules_alone(html) == ""
    assert extractions(html) == (ARTICLE, 2)
    assert html_to_text(html, HtmlConfig())[0] == ARTICLE


def test_an_empty_element_chosen_as_resiliparses_article_root_is_passed_over() -> None:
    # the one element matching resiliparse's root selector (.single-post...) is extracted alone:
    # here an empty copy of <body>'s classes, as WordPress themes write it
    html = page(comments=0).replace(
        "<nav>", '<div id="post-body-class" class="single-post"></div><nav>'
    )
    assert rules_alone(html) == ""
    assert extractions(html) == (ARTICLE, 2)


def test_a_page_whose_paragraphs_are_all_comments_stays_empty() -> None:
    replies = "".join(f"<p>{COMMENT}</p>" for _ in range(3))
    html = f'<html><body><div class="layout"><section class="comments">{replies}</section></div>'
    assert extractions(html) == ("", 2)
    assert html_to_text(html, HtmlConfig(comments=True))[0] == "\n\n".join([COMMENT] * 3)


def test_an_article_hidden_by_an_attribute_stays_hidden() -> None:
    html = page(comments=0).replace('<div class="layout">', '<div class="layout" hidden>')
    assert rules_alone(html) == ""
    assert extractions(html) == ("", 2)
