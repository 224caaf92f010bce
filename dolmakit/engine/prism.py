"""`run.runner: prism`: Beam's Prism runner, the portable local runner Beam is moving its Python
users to. It runs the same job graph a remote engine gets (Fn API, portable transforms), so a
pipeline that runs here runs on Flink, Spark or Dataflow the same way.

Beam would download Prism from GitHub at launch; this machine kind may not reach it, so
scripts/build_prism.sh builds it with `go install` (through the Go module proxy) into a cache
that this module finds. $DOLMAKIT_PRISM names another binary.
"""

from __future__ import annotations

import os
from pathlib import Path

import apache_beam
from apache_beam.options.pipeline_options import (
    DebugOptions,
    PipelineOptions,
    PortableOptions,
    PrismRunnerOptions,
)

from dolmakit.core.errors import ConfigError

PRISM = "prism"
BUILD_SCRIPT = "scripts/build_prism.sh"
NO_SHARED_SERVER = "disable_prism_server_singleton"  # a Beam experiment


def prism_binary() -> Path:
    """The Prism binary for the installed apache-beam version."""
    if chosen := os.environ.get("DOLMAKIT_PRISM"):
        return Path(chosen)
    cache = Path(os.environ.get("DOLMAKIT_CACHE") or Path.home() / ".cache" / "dolmakit")
    return cache / "prism" / apache_beam.__version__ / "prism"


def use_prism(options: PipelineOptions) -> tuple[str, str]:
    """Points the options at the built Prism binary; (runner name for Beam, label)."""
    portable = options.view_as(PortableOptions)
    if not options.view_as(PrismRunnerOptions).prism_location:
        binary = prism_binary()
        if not binary.is_file():
            raise ConfigError(
                f"no Prism binary at {binary}: run {BUILD_SCRIPT} (needs Go), or set "
                "DOLMAKIT_PRISM to a Prism binary",
                key="run.runner",
            )
        options.view_as(PrismRunnerOptions).prism_location = str(binary)
    # the SDK harness in the launching process unless the user chose another environment
    portable.environment_type = portable.environment_type or "LOOPBACK"
    # Beam keeps one Prism job server per process, made with the options of the first pipeline
    # that asked for one: a DirectRunner pipeline earlier in the process (TestPipeline tries
    # Prism first) would leave one without our binary, which then tries to download Prism
    options.view_as(DebugOptions).add_experiment(NO_SHARED_SERVER)
    return "PrismRunner", f"prism {apache_beam.__version__}"
