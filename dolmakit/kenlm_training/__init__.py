"""N-gram language models for CCNet-style perplexity: SentencePiece + KenLM."""
