"""The Beam engine: documents lost under load, memory by input size, shuffle bytes, and Beam's
data-plane race reproduced alone."""
