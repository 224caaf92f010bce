"""Mix files (mixes/*.yaml): sources, their share of the mix, a budget, a tokenizer, a seed.

Each source gives either a `proportion` of the mix's tokens or `epochs` over its own tokens; the
other is derived once its tokens are counted (dolmakit.mix.plan). Everything that can be checked
without reading the sources is checked here, before any work, with a ConfigError naming the mix
file and the key.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from dolmakit.core.config_files import read_yaml
from dolmakit.core.errors import ConfigError
from dolmakit.core.expressions import ExpressionError, compile_expression
from dolmakit.core.schema import from_data, to_data
from dolmakit.engine.run_config import RunConfig

PROPORTION_TOLERANCE = 1e-6
# tokenizers that need no model file: words split on whitespace (for plans, tests, dry runs)
BUILTIN_TOKENIZERS = ("whitespace",)
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
# the one attribute a span replacement reads: Dolma's JSONPath `$.attributes.<name>`, jq's
# `.attributes.<name>`, or the name alone, as include/exclude rules write it
_SPAN_PATH = re.compile(r"(?:\$?\.attributes\.)?(?P<name>[A-Za-z_][\w.\-]*)")


@dataclass
class SpanReplacementSpec:
    """Dolma's mixer `span_replacement`: the text of each span of the attribute `span` scored
    in [min_score, max_score) is replaced by `replacement` (dolmakit.mix.spans)."""

    span: str
    # `{}` in it stands for the replaced text; "" deletes the span
    replacement: str
    # either bound may be left out (Dolma's defaults: every score is in range)
    min_score: float | None = None
    max_score: float | None = None

    @property
    def attribute(self) -> str | None:
        """The attribute `span` names; None when it is not one of the accepted forms."""
        match = _SPAN_PATH.fullmatch(self.span.strip())
        return match["name"] if match else None


@dataclass
class SourceSpec:
    name: str
    # globs of Dolma JSONL outputs of a pipeline (out/<source>/documents/*.jsonl.gz); with
    # `attributes`, the documents/ files of a Dolma dataset
    paths: list[str]
    # share of the mix's training tokens; give this or epochs, never both
    proportion: float | None = None
    # passes over the source's training tokens (1.5 = every document once, half of them twice)
    epochs: float | None = None
    # Dolma's mixer rules over attributes: a document is kept when it matches one of `include`
    # (when any are given) and none of `exclude`; a rule over an attribute the document lacks
    # does not match (Dolma's mixer: its JSONPath finds nothing, its jq gives null)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    # attribute folders of a Dolma dataset (`paths` then name its documents/ files), joined to
    # each document by line and id before the rules, as Dolma's mixer `attributes` are
    attributes: list[str] = field(default_factory=list)
    # applied to the documents the rules keep, before tokenizing (token counts are of the edited
    # text), as Dolma's mixer applies them after its filter; a document left with nothing but
    # whitespace is removed as `empty_after_span_replacement`
    span_replacement: list[SpanReplacementSpec] = field(default_factory=list)


@dataclass
class MixConfig:
    name: str
    sources: list[SourceSpec]
    # a SentencePiece model for dolmakit.tokens, or `whitespace`
    tokenizer: str
    # folder of the shards (train/, heldout/<source>/) and report.json / report.html
    output: str
    # training tokens of the mix, EOS included; derived when every source gives epochs, or
    # when some give epochs and the proportions of the others sum below 1
    budget_tokens: int | None = None
    seed: int = 0
    # documents of each source (by hash of their id) kept out of training for validation
    held_out_fraction: float = 0.0
    # no source may be repeated more often than this
    max_epochs: float = 10.0
    # a shard file's most tokens; a worker sorts at most 2**25 tokens at once (plan.py's
    # MAX_GROUP_TOKENS), so above that each worker's group writes shards of about that size
    max_tokens_per_shard: int = 100_000_000
    run: RunConfig = field(default_factory=RunConfig)


@dataclass
class ResolvedMix:
    config: MixConfig
    source_file: str

    def to_data(self) -> dict:
        return to_data(self.config)


def load_mix(
    path: str | Path, overrides: list[str] = (), require_tokenizer: bool = True
) -> ResolvedMix:
    """The mix file resolved and checked; `require_tokenizer=False` when the tokenizer is about
    to be trained on the mix itself (dolmakit tokenizer train --mix)."""
    source = str(path)
    data = read_yaml(path, overrides)
    return resolve_mix(data, source, require_tokenizer)


def resolve_mix(data: object, source: str, require_tokenizer: bool = True) -> ResolvedMix:
    config = from_data(MixConfig, data, source=source, key="")
    validate(config, source, require_tokenizer)
    return ResolvedMix(config, source)


def validate(config: MixConfig, source: str, require_tokenizer: bool = True) -> None:
    """The checks that need no counted tokens; plan_mix does the others."""
    _check_scalars(config, source)
    if require_tokenizer:
        _check_tokenizer(config, source)
    names = [spec.name for spec in config.sources]
    if not names:
        raise ConfigError("a mix needs at least one source", source=source, key="sources")
    if duplicated := sorted({n for n in names if names.count(n) > 1}):
        raise ConfigError(f"source name {duplicated[0]!r} is used twice", source=source,
                          key="sources")  # fmt: skip
    for i, spec in enumerate(config.sources):
        _check_source(spec, f"sources[{i}]", config.max_epochs, source)
    _check_targets(config, source)


def _check_scalars(config: MixConfig, source: str) -> None:
    checks = [
        ("held_out_fraction", 0 <= config.held_out_fraction < 1, "must be in [0, 1)"),
        ("max_epochs", config.max_epochs > 0, "must be above 0"),
        ("max_tokens_per_shard", config.max_tokens_per_shard > 0, "must be above 0"),
        ("budget_tokens", (config.budget_tokens or 1) > 0, "must be above 0"),
    ]
    for key, ok, message in checks:
        if not ok:
            raise ConfigError(f"{message}, got {getattr(config, key)!r}", source=source, key=key)
    if "://" in config.output:
        raise ConfigError("token shards are written to a local folder (or a mounted bucket); "
                          f"got {config.output!r}", source=source, key="output")  # fmt: skip


def _check_tokenizer(config: MixConfig, source: str) -> None:
    tokenizer = config.tokenizer
    local = tokenizer not in BUILTIN_TOKENIZERS and "://" not in tokenizer
    if local and not Path(tokenizer).exists():
        builtin = ", ".join(BUILTIN_TOKENIZERS)
        raise ConfigError(f"no tokenizer at {tokenizer!r} (a SentencePiece model, or {builtin})",
                          source=source, key="tokenizer")  # fmt: skip


def _check_source(spec: SourceSpec, key: str, max_epochs: float, source: str) -> None:
    if not _NAME.fullmatch(spec.name):
        raise ConfigError(
            f"a source name is letters, digits, '_', '-' or '.' (it names a folder), got "
            f"{spec.name!r}",
            source=source,
            key=f"{key}.name",
        )
    if not spec.paths:
        raise ConfigError(f"source {spec.name!r} names no paths", source=source, key=f"{key}.paths")
    if (spec.proportion is None) == (spec.epochs is None):
        which = "both" if spec.proportion is not None else "neither"
        raise ConfigError(
            f"source {spec.name!r} gives {which} of proportion and epochs; give exactly one "
            "(the other is derived from the source's counted tokens)",
            source=source,
            key=key,
        )
    if spec.proportion is not None and not 0 < spec.proportion <= 1:
        raise ConfigError(f"proportion must be in (0, 1], got {spec.proportion}", source=source,
                          key=f"{key}.proportion")  # fmt: skip
    if spec.epochs is not None and not 0 < spec.epochs <= max_epochs:
        raise ConfigError(f"epochs must be above 0 and at most max_epochs ({max_epochs}), got "
                          f"{spec.epochs}", source=source, key=f"{key}.epochs")  # fmt: skip
    for kind in ("include", "exclude"):
        for j, text in enumerate(getattr(spec, kind)):
            try:
                compile_expression(text)
            except ExpressionError as error:
                raise ConfigError(str(error), source=source, key=f"{key}.{kind}[{j}]") from None
    for j, replacement in enumerate(spec.span_replacement):
        _check_span_replacement(replacement, f"{key}.span_replacement[{j}]", source)


def _check_span_replacement(spec: SpanReplacementSpec, key: str, source: str) -> None:
    if spec.attribute is None:
        raise ConfigError(
            f"span names one attribute: `$.attributes.<name>` (Dolma's JSONPath), "
            f"`.attributes.<name>` (jq) or `<name>`; got {spec.span!r}",
            source=source,
            key=f"{key}.span",
        )
    low, high = spec.min_score, spec.max_score
    if low is not None and high is not None and low >= high:
        raise ConfigError(f"min_score {low} must be below max_score {high} (a span is replaced "
                          "when min_score <= score < max_score)", source=source,
                          key=key)  # fmt: skip


def _check_targets(config: MixConfig, source: str) -> None:
    """Proportions and the budget must determine every source's tokens exactly once."""
    proportions = [s.proportion for s in config.sources if s.proportion is not None]
    total = math.fsum(proportions)
    every = len(proportions) == len(config.sources)
    budget = config.budget_tokens
    if every and abs(total - 1) > PROPORTION_TOLERANCE:
        raise ConfigError(f"the proportions sum to {total:.6g}, not 1", source=source,
                          key="sources")  # fmt: skip
    if every and budget is None:
        raise ConfigError("every source gives a proportion, so the mix needs budget_tokens",
                          source=source, key="budget_tokens")  # fmt: skip
    if not every and total >= 1 - PROPORTION_TOLERANCE:
        raise ConfigError(
            f"the proportions sum to {total:.6g}, leaving nothing for the sources that give "
            "epochs; they must sum below 1",
            source=source,
            key="sources",
        )
    if not every and budget is not None:
        raise ConfigError(
            "budget_tokens is derived when a source gives epochs (its tokens are fixed by its "
            "size); remove budget_tokens or give every source a proportion",
            source=source,
            key="budget_tokens",
        )
