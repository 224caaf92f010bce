"""The datatrove peer: its benchmark-only venv (.bench/datatrove-venv) and the scripts that run
in it. Nothing here may import dolmakit or anything outside the standard library and datatrove's
venv."""
