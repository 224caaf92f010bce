"""WikiText-103 token files back to plain text, as the mediawiki reader writes articles."""

from __future__ import annotations

from dolmakit.sources.wikipedia.wikitext103 import Article, detokenize, paragraph, read_articles

# the layout of wiki.*.tokens: a space before every line end, blank lines as " "
TOKENS = " \n".join([
    "", " = Homarus gammarus =", "",
    " Homarus gammarus , known as the European lobster , is a species of clawed lobster ."
    " It may grow to a length of 60 cm ( 24 in ) .",
    "", " = = Description = =", "",
    " It weighs 0 @.@ 7 – 2 @.@ 2 kg and lives 1 @,@ 000 days in the north @-@ east ."
    " The <unk> is blue . It is \" lobster red \" when cooked .",
    "", " = M @-@ 82 ( Michigan highway ) =", "",
    " = = <unk> = =", " M @-@ 82 is a state trunkline highway ; it isn 't long .", "",
])  # fmt: skip


def test_detokenize_undoes_wikitext_tokenization():
    assert detokenize(" the north @-@ east , 1 @,@ 000 and 0 @.@ 7 kg . ") == (
        "the north-east, 1,000 and 0.7 kg."
    )
    assert detokenize('a " quoted " word ( in brackets ) ; done : yes !') == (
        'a "quoted" word (in brackets); done: yes!'
    )
    assert detokenize("the lobster 's claw ; it isn 't") == "the lobster's claw; it isn't"


def test_headings_become_lines_and_unk_sentences_go():
    assert paragraph(" = = Description = = ") == "Description"
    assert paragraph(" = = = Sub section = = = ") == "Sub section"
    assert paragraph(" = = <unk> = = ") == ""
    assert paragraph(" One . The <unk> is blue . Two . ") == "One. Two."


def test_reads_articles_by_their_title_lines(tmp_path):
    path = tmp_path / "wiki.valid.tokens"
    path.write_text(TOKENS, encoding="utf-8")
    assert list(read_articles(path)) == [
        Article(
            "Homarus gammarus",
            "Homarus gammarus, known as the European lobster, is a species of clawed lobster."
            " It may grow to a length of 60 cm (24 in).\n"
            "Description\n"
            "It weighs 0.7 – 2.2 kg and lives 1,000 days in the north-east."
            ' It is "lobster red" when cooked.',
        ),
        Article("M-82 (Michigan highway)", "M-82 is a state trunkline highway; it isn't long."),
    ]
