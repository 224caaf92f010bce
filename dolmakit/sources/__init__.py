"""The LLaMA-1 sources beyond web crawls, one package each: its dump reader, its text cleaning and
the steps only it needs. dolmakit.engine.builtins imports every package here."""
