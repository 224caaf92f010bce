"""Filter and tagger steps: speed next to their peers, accuracy on labelled public sets, and what
the quality stage keeps."""
