"""`dolmakit tag`: taggers over an existing Dolma dataset, writing only their attribute folders."""
