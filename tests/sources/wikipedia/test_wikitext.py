"""Wikitext to plain text (dolmakit.sources.wikipedia.wikitext), one rule at a time."""

from __future__ import annotations

import pytest

from dolmakit.sources.wikipedia.wikitext import WikitextCleaner

CLEANER = WikitextCleaner()


def clean(wikitext: str) -> str:
    return CLEANER.clean(wikitext)


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("a [[Target page|shown text]] b", "a shown text b"),
        ("a [[Target page]] b", "a Target page b"),
        ("[[apple]]s and [[pear]]", "apples and pear"),  # the link trail joins the word
        ("see [[Help:Contents (page)|]]", "see Contents"),  # the pipe trick
        ("in [[Boston, Massachusetts|]]", "in Boston"),
        ("in [[Paris#History|old Paris]]", "in old Paris"),
        ("a [[a|b [[c]] d]] e", "a b c d e"),  # a link inside link text
        ("the [[:Category:Lighthouses|list]]", "the list"),  # a visible link to a category
        ("the [[:de:Leuchtturm]] page", "the de:Leuchtturm page"),
        ("see [[wikt:beacon|beacon]]", "see beacon"),  # an inline interwiki link shows its text
    ],
)
def test_links_become_their_text(wikitext: str, expected: str) -> None:
    assert clean(wikitext) == expected


@pytest.mark.parametrize(
    "link",
    [
        "[[File:Tower.jpg|thumb|The tower with a [[gallery]] and a [[cat|kitten]]]]",
        "[[Image:Tower.jpg]]",
        "[[Media:Horn.ogg|the horn]]",
        "[[Category:Lighthouses]]",
        "[[category:Lighthouses|Harrowgate]]",
        "[[de:Leuchtturm Harrowgate]]",
        "[[zh-min-nan:Harrowgate]]",
        "[[simple:Harrowgate Lighthouse]]",
        "[[Datei:Turm.jpg|mini|Der Turm]]",  # German local names are built in
        "[[Kategorie:Leuchtturm]]",
    ],
)
def test_media_category_and_interlanguage_links_are_removed(link: str) -> None:
    assert clean(f"Before. {link} After.") == "Before. After."


def test_local_namespace_names_from_the_siteinfo_are_removed_too() -> None:
    cleaner = WikitextCleaner(extra_media=["Tiedosto"], extra_categories=["Luokka"])
    text = "Majakka. [[Tiedosto:Torni.jpg|pienoiskuva|Torni]] [[Luokka:Majakat]]"
    assert cleaner.clean(text) == "Majakka."
    assert clean("[[Luokka:Majakat]]") == "Luokka:Majakat"  # unknown to the built-in list


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("see [http://example.org the site] now", "see the site now"),
        ("see [http://example.org] now", "see now"),  # shown as a footnote number
        ("at http://example.org now", "at http://example.org now"),  # a bare URL stays
        ("see [//example.org ''the'' site]", "see the site"),
    ],
)
def test_external_links_become_their_title(wikitext: str, expected: str) -> None:
    assert clean(wikitext) == expected


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("A {{citation needed|date=May 2024}} fact.", "A fact."),
        ("{{Infobox x|a={{b|{{c|d}}}}|e=[[f|g]]}}\nText.", "Text."),  # nested templates
        ("Value {{{1|default}}} here.", "Value here."),  # template arguments
        ("{{DEFAULTSORT:Harrowgate}}{{#if:x|y}}Text.", "Text."),  # magic functions
        ("said {{lang|fr|la Sentinelle}} then", "said la Sentinelle then"),
        ("said {{Lang-fr|bonjour}} then", "said bonjour then"),
        ("near {{nowrap|[[Upper Ford|Upper Ford halt]]}}.", "near Upper Ford halt."),
        ("is {{convert|31|m|ft|abbr=on}} tall", "is 31 m tall"),
        ("is {{convert|5|-|10|km}} long", "is 5–10 km long"),
    ],
)
def test_templates_are_removed_except_inline_prose_ones(wikitext: str, expected: str) -> None:
    assert clean(wikitext) == expected


def test_inline_templates_can_be_removed_like_every_other() -> None:
    cleaner = WikitextCleaner(inline_templates=False)
    assert cleaner.clean("is {{convert|31|m}} tall, {{lang|fr|oui}}.") == "is tall,."


def test_a_template_inside_link_text_keeps_the_link_text() -> None:
    text = "through the [[Quillon Valley|{{lang|fr|Vallée}} of Quillon]] and [[a|{{cn}}b]]"
    assert clean(text) == "through the Vallée of Quillon and b"


def test_comments_and_references_are_removed() -> None:
    text = (
        'One.<ref name="a">{{Cite web|url=http://x.example|title=X}}</ref> Two<ref name="a" />.'
        "<!-- a hidden note --> Three.<ref group=note>A [[note]].</ref>\n<references />"
    )
    assert clean(text) == "One. Two. Three."


def test_tables_are_removed_with_the_templates_and_tables_nested_in_them() -> None:
    text = (
        "Before.\n"
        '{| class="wikitable"\n|+ Caption\n|-\n! A !! B\n|-\n'
        "| {{flagicon|X}} [[Foo|foo]] || {{convert|3|m}}\n|-\n"
        "| colspan=2 |\n{|\n| inner {{nowrap|cell}}\n|}\n|}\n"
        "After.\n<table><tr><td>html cell</td></tr></table>"
    )
    assert clean(text) == "Before.\n\nAfter."


@pytest.mark.parametrize(
    ("wikitext", "expected"),
    [
        ("'''Bold''' and ''italic'' and '''''both'''''", "Bold and italic and both"),
        ("H<sub>2</sub>O and x<sup>2</sup>", "H2O and x2"),
        ("<b>b</b> <i>i</i> <span style='color:red'>s</span> <small>m</small>", "b i s m"),
        ("'''unbalanced bold", "unbalanced bold"),
        ("<nowiki>[[not a link]]</nowiki>", "[[not a link]]"),
        ("area <math>\\pi r^2</math> here", "area \\pi r^2 here"),  # TeX is kept
        ("a<br />b", "a\nb"),
        ("x <gallery>\nFile:a.jpg|cap\n</gallery> y", "x y"),
    ],
)
def test_formatting_keeps_its_text(wikitext: str, expected: str) -> None:
    assert clean(wikitext) == expected


def test_headings_are_plain_lines_and_empty_sections_go() -> None:
    text = (
        "Lead.\n== History ==\nOld.\n=== Early years ===\nVery old.\n"
        "== See also ==\n{{Portal|Lighthouses}}\n* [[Other]]\n"
        "== References ==\n{{Reflist}}\n=== Notes ===\n<references/>\n== External links ==\n"
    )
    assert clean(text) == "Lead.\n\nHistory\nOld.\n\nEarly years\nVery old.\n\nSee also\nOther"


def test_list_markers_go_and_items_stay_on_their_lines() -> None:
    text = "Keepers:\n* principal\n** deputy\n# first\n: indented\n; term : definition"
    assert clean(text) == "Keepers:\nprincipal\ndeputy\nfirst\nindented\nterm\ndefinition"


def test_magic_words_entities_and_blank_lines() -> None:
    text = "__NOTOC__\nA&nbsp;&ndash;&#32;B &amp; C &eacute;\n\n\n\n__TOC__\nD"
    assert clean(text) == "A – B & C é\n\nD"


def test_gaps_left_by_removed_markup_are_closed() -> None:
    text = "Born ({{circa}} 1900) in X{{cn}}, died ({{death date}}) in Y {{cn}}."
    assert clean(text) == "Born (1900) in X, died in Y."
