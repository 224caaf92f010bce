"""Near-dedup: MinHash against datasketch and datatrove, the LSH curve, and their helpers."""
