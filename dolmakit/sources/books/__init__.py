"""Books: Project Gutenberg plain-text books (the `gutenberg` reader), one document per book."""

import dolmakit.sources.books.reader  # noqa: F401
