"""Tokens: the SentencePiece tokenizer, token shard writing and OLMo's MemMapDataset.

train_tokenizer(texts, out_dir, vocab_size=32000) -> Path    LLaMA-style BPE tokenizer.model
Tokenizer.load(path)                                           any SentencePiece model
ShardWriter(out_dir, prefix, vocab_size, max_tokens_per_shard, eos_id)   one worker's shards
write_manifest(out_dir)                                        merges the writers' manifests
MemMapDataset(*paths, chunk_size=1024, memmap_dtype=np.uint16)  training sequences by index
"""

from dolmakit.tokens.dataset import MemMapDataset
from dolmakit.tokens.shards import ShardWriter, dtype_for, read_manifest, write_manifest
from dolmakit.tokens.tokenizer import Tokenizer, train_tokenizer

__all__ = [
    "MemMapDataset",
    "ShardWriter",
    "Tokenizer",
    "dtype_for",
    "read_manifest",
    "train_tokenizer",
    "write_manifest",
]
