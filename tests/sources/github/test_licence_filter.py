"""Tests for the github_license_filter step on literal documents."""

from __future__ import annotations

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.sources.github.licence_filter import LicenceFilter, LicenceFilterConfig

DEFAULT = LicenceFilter("github_license_filter", LicenceFilterConfig())


def doc(licence: str | None) -> Document:
    metadata = {} if licence is None else {"licence": licence}
    return Document(id="a/b:x.py", text="print(1)\n", source="github", metadata=metadata)


@pytest.mark.parametrize(
    "licence",
    ["MIT", "mit", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0 AND MIT",
     "GPL-3.0 OR MIT", "(MIT AND BSD-3-Clause)", "Apache-2.0 WITH LLVM-exception"],
)  # fmt: skip
def test_permissive_licences_are_kept(licence: str) -> None:
    assert DEFAULT.process(doc(licence)).metadata["licence"] == licence


@pytest.mark.parametrize(
    ("licence", "reason"),
    [
        ("GPL-3.0", "license_gpl-3.0"),
        ("unknown", "license_unknown"),
        (None, "license_unknown"),  # no licence at all
        ("", "license_unknown"),
        ("MIT AND GPL-2.0", "license_gpl-2.0"),  # both are required
        ("LGPL-2.1 OR MPL-2.0", "license_lgpl-2.1"),  # neither alternative is allowed
        ("(MIT OR GPL-3.0) AND ISC", "license_gpl-3.0"),  # parentheses: every id is required
        ("GPL-2.0 WITH Classpath-exception-2.0", "license_gpl-2.0"),
    ],
)
def test_other_licences_are_removed_naming_the_licence(licence: str | None, reason: str) -> None:
    result = DEFAULT.process(doc(licence))
    assert isinstance(result, Removed)
    assert (result.step, result.reason) == ("github_license_filter", reason)


def test_allowed_list_and_key_are_configurable() -> None:
    step = LicenceFilter("lic", LicenceFilterConfig(allowed=["ISC", "GPL-*"], licence_key="lic"))
    kept = Document(id="1", text="", source="s", metadata={"lic": "GPL-2.0"})
    assert step.process(kept) is kept
    removed = step.process(Document(id="2", text="", source="s", metadata={"lic": "MIT"}))
    assert isinstance(removed, Removed) and removed.reason == "license_mit"


def test_an_empty_allowed_list_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="allow at least one"):
        LicenceFilter("lic", LicenceFilterConfig(allowed=[]))
