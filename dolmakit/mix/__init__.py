"""Mixes: sources sampled to proportions or epochs, a held-out split, token shards, a report.

mixes/<name>.yaml --load_mix--> MixConfig --count pass--> SourceCounts per source
    --plan_mix--> MixPlan (targets, epochs, cuts) --sample pass--> train/ heldout/<source>/
"""
