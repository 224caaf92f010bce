"""`stackexchange_sites`: keeps the posts of chosen sites, removes the others as `site_<name>`.

LLaMA "kept the data from the 28 largest websites" without naming them; the preset `largest_28`
in dolmakit/presets/stackexchange_sites.yaml is such a list. The step runs on posts, before
threading, so other sites' posts are not shuffled; their files are still read (the report then
says what was left out, site by site): to skip a site without reading it, leave its folder out of
input.paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dolmakit.core.document import Document, Removed
from dolmakit.core.errors import ConfigError
from dolmakit.core.steps import Step, register_step


@dataclass
class SitesConfig:
    # host names as the dump's folders name them: stackoverflow.com, math.stackexchange.com, ...
    sites: list[str] = field(default_factory=list)


@register_step
class StackExchangeSites(Step):
    """Keeps posts whose metadata.site is listed; removes the others as `site_<name>`."""

    type_name = "stackexchange_sites"
    Config = SitesConfig

    def __init__(self, name: str, config: SitesConfig):
        super().__init__(name, config)
        if not config.sites:
            raise ConfigError("name at least one site (or leave the step out to keep all)",
                              key="sites")  # fmt: skip
        self.sites = frozenset(site.strip().lower() for site in config.sites)

    def process(self, doc: Document) -> Document | Removed:
        site = doc.metadata.get("site")
        if not isinstance(site, str) or not site:
            raise ValueError("the document has no metadata.site: not a Stack Exchange post")
        if site in self.sites:
            return doc
        return Removed(doc, self.name, f"site_{site}")
