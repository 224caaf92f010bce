"""Console logging for local runs: dolmakit's progress lines, worker errors, nothing else.

Beam's local runner relays every worker log line through `local_job_service` as a protobuf dump;
this filter keeps the ones dolmakit wrote (progress) and worker errors, unwrapped to their text.
"""

from __future__ import annotations

import logging
import re

_RELAY = "apache_beam.runners.portability.local_job_service"
_FIELD = re.compile(r'(\w+): "((?:[^"\\]|\\.)*)"')
_SEVERITY = re.compile(r"severity: (\w+)")


class WorkerLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        fields = dict(_FIELD.findall(text))
        severity = (_SEVERITY.search(text) or [None, "INFO"])[1]
        ours = "/dolmakit/" in fields.get("log_location", "")
        if not ours and severity not in ("ERROR", "CRITICAL"):
            return False
        record.msg, record.args = fields.get("message", text), ()
        record.name = "dolmakit" if ours else "beam worker"
        return True


def configure(quiet: bool) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    level = logging.WARNING if quiet else logging.INFO
    logging.getLogger("dolmakit").setLevel(level)
    relay = logging.getLogger(_RELAY)
    relay.setLevel(level)
    relay.addFilter(WorkerLogFilter())


def duration(seconds: float) -> str:
    """A progress line's time left: `45s`, `3m10s`, `2h05m` (seconds stop mattering past an
    hour)."""
    whole = max(round(seconds), 0)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
