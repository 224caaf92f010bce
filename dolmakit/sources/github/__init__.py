"""GitHub: source files from tables (The Stack, RedPajama, BigQuery exports) or local checkouts,
their licences, and the licence filter of the LLaMA recipe (Apache, BSD, MIT)."""

import dolmakit.sources.github.licence_filter  # noqa: F401
import dolmakit.sources.github.repository_reader  # noqa: F401
import dolmakit.sources.github.table_reader  # noqa: F401
