"""Tests for dolmakit.sources.github.languages: a file's language from its name."""

from __future__ import annotations

import pytest

from dolmakit.sources.github.languages import language_of


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("src/main.py", "Python"),
        ("lib/Widget.JAVA", "Java"),  # lower case as a fallback
        ("include/list.hpp", "C++"),
        ("analysis/model.R", "R"),
        ("docker/Dockerfile", "Dockerfile"),
        ("CMakeLists.txt", "CMake"),
        ("web/app.min.js", "JavaScript"),
        ("LICENSE", "unknown"),
        ("notes.txt", "unknown"),
        (".bashrc", "unknown"),  # a dotfile has no extension
    ],
)
def test_language_by_extension_or_name(path: str, language: str) -> None:
    assert language_of(path) == language
