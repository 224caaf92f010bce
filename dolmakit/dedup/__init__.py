"""Deduplication as Beam transforms: exact documents, CCNet lines, MinHash near-duplicates."""
