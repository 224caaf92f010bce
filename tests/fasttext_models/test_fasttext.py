"""fastText model files: the layout walk that stands between fastText and a damaged file."""

from pathlib import Path

import pytest

from dolmakit.core.errors import ConfigError
from dolmakit.fasttext_models.fasttext import check_layout, is_file, resolve_model, validate_model


@pytest.fixture(scope="module")
def lid176() -> bytes:
    return Path(resolve_model("lid176")).read_bytes()


def test_the_bundled_model_walks_to_its_last_byte(lid176):
    assert len(lid176) == 938_013
    check_layout(resolve_model("lid176"))


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (0, "the file is empty"),
        (8, "truncated or corrupt: its parts overrun its 8 bytes"),
        (400_000, "truncated or corrupt: its parts overrun its 400,000 bytes"),
    ],
)
def test_a_truncated_file_says_what_is_wrong(tmp_path, lid176, cut, words):
    (tmp_path / "cut.ftz").write_bytes(lid176[:cut])
    with pytest.raises(ValueError, match=f"^{words}$"):
        check_layout(str(tmp_path / "cut.ftz"))


def test_extra_bytes_and_wrong_magic(tmp_path, lid176):
    (tmp_path / "long.ftz").write_bytes(lid176 + b"\0\0\0")
    with pytest.raises(ValueError, match="^3 unexpected bytes at the end$"):
        check_layout(str(tmp_path / "long.ftz"))
    (tmp_path / "text.bin").write_bytes(b"not a model at all" * 10)
    with pytest.raises(ValueError, match="wrong magic number or version"):
        check_layout(str(tmp_path / "text.bin"))


def test_validate_model_raises_a_config_error_naming_the_key(tmp_path):
    (tmp_path / "bad.bin").write_bytes(b"")
    with pytest.raises(ConfigError) as caught:
        validate_model(str(tmp_path / "bad.bin"))
    assert caught.value.key == "model"
    assert is_file(str(tmp_path / "bad.bin")) and not is_file(str(tmp_path))


def test_lid176_ships_inside_dolmakit():
    import dolmakit

    assert resolve_model("lid176") == str(Path(dolmakit.__file__).parent / "data/lid/lid.176.ftz")
