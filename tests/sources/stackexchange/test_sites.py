"""The stackexchange_sites step and its preset."""

from __future__ import annotations

import pytest

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.engine.config import load_preset
from dolmakit.sources.stackexchange.sites import SitesConfig, StackExchangeSites


def post(site: str | None) -> Document:
    return Document("x/1", "text", "se", metadata={"site": site} if site else {})


def test_keeps_listed_sites_and_names_the_others():
    step = StackExchangeSites("sites", SitesConfig(sites=["Math.StackExchange.com "]))
    assert step.process(post("math.stackexchange.com")).metadata["site"] == "math.stackexchange.com"
    removed = step.process(post("math.meta.stackexchange.com"))
    assert isinstance(removed, Removed)
    assert (removed.step, removed.reason) == ("sites", "site_math.meta.stackexchange.com")


def test_a_document_without_a_site_is_an_error():
    step = StackExchangeSites("sites", SitesConfig(sites=["superuser.com"]))
    with pytest.raises(ValueError, match="no metadata.site"):
        step.process(post(None))


def test_an_empty_list_is_refused():
    with pytest.raises(ConfigError, match="at least one site"):
        StackExchangeSites("sites", SitesConfig())


def test_the_largest_28_preset():
    sites = load_preset("stackexchange_sites", "largest_28", "test", "preset")["sites"]
    assert len(sites) == len(set(sites)) == 28
    assert sites[0] == "stackoverflow.com" and "math.stackexchange.com" in sites
    assert not any("meta" in site for site in sites)
