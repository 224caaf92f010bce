"""Wikipedia (and every MediaWiki export dump): the `mediawiki` reader and its wikitext cleaning.

Registers the `mediawiki` input format; pipelines/wikipedia.yaml is the LLaMA-1 recipe on it.
"""

import dolmakit.sources.wikipedia.reader  # noqa: F401  (registers the mediawiki reader)
