"""What several benchmarks share: the WARC benchmark corpus, an earlier commit as a worktree,
a command timed with the peak memory of its process tree."""
