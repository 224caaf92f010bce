"""fastText quality classifiers in the CCNet/LLaMA "looks like a reference page" style."""
