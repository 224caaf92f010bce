"""KenLM at inference: loading a SentencePiece + KenLM model folder, scoring, its perplexity
cutoffs."""
