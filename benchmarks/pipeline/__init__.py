"""WARC to documents: whole `dolmakit run` pipelines against a floor and datatrove, and the
quality of main-content extraction."""
