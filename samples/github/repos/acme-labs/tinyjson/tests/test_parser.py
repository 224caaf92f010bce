from tinyjson import loads


def test_literals():
    assert loads("true") is True
    assert loads(" null ") is None


def test_numbers():
    assert loads("-12") == -12
    assert loads("2.5e3") == 2500.0
