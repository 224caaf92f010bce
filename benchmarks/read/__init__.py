"""The source readers (arXiv, books, C4, GitHub, Stack Exchange, Wikipedia) against bare loops."""
