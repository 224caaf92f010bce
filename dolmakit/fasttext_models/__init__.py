"""fastText at inference: loading a model by name, path or URI, predicting; the quality
classifier's text contract."""
