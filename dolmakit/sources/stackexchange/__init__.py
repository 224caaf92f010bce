"""Stack Exchange dumps (one Posts.xml per site): the `stackexchange_posts` reader, the
`stackexchange_sites` filter and the `stackexchange_threads` step that pairs answers with their
questions in Beam."""

import dolmakit.sources.stackexchange.reader  # noqa: F401
import dolmakit.sources.stackexchange.sites  # noqa: F401
import dolmakit.sources.stackexchange.threads  # noqa: F401
