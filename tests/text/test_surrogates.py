from dolmakit.text.surrogates import replace_lone_surrogates


def test_replaces_in_strings_lists_and_dict_keys():
    value = {"a\ud800": ["x\udfff\ud800", 3, None], "clean": "ok"}
    assert replace_lone_surrogates(value) == (
        {"a\ufffd": ["x\ufffd\ufffd", 3, None], "clean": "ok"},
        3,
    )


def test_clean_text_is_returned_unchanged():
    assert replace_lone_surrogates("caf\u00e9 \U0001f600") == ("caf\u00e9 \U0001f600", 0)
