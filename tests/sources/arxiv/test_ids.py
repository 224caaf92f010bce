from dolmakit.sources.arxiv.ids import file_stem, parse_arxiv_id


def test_new_style_id_with_url_and_month():
    arxiv_id = parse_arxiv_id("2403/2403.01234.gz")
    assert arxiv_id.id == "2403.01234"
    assert arxiv_id.url == "https://arxiv.org/abs/2403.01234"
    assert arxiv_id.created == "2024-03-01"


def test_four_digit_numbers_and_versions():
    assert parse_arxiv_id("0704.0001.tar.gz").created == "2007-04-01"
    assert parse_arxiv_id("1501.00001v2.tgz").id == "1501.00001v2"


def test_old_style_id_from_bulk_file_name():
    arxiv_id = parse_arxiv_id("9901/hep-th9901001.gz")
    assert arxiv_id.id == "hep-th/9901001"
    assert arxiv_id.url == "https://arxiv.org/abs/hep-th/9901001"
    assert arxiv_id.created == "1999-01-01"
    assert parse_arxiv_id("math0211159.gz").created == "2002-11-01"


def test_names_that_are_not_ids():
    assert parse_arxiv_id("main.tex") is None
    assert parse_arxiv_id("2413.00001.gz") is None  # month 13


def test_file_stem_drops_archive_suffixes():
    assert file_stem("dir/paper.tar.gz") == "paper"
    assert file_stem("notes.tex") == "notes"
