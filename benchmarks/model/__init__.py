"""Tokenizing into shards and training the tiny model."""
