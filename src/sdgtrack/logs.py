"""Structured logs: every ``sdgtrack`` logger writes one JSON object per line (time,
level, logger, message, the record's ``fields``, a traceback as text), so a log is read by
a program as easily as by a person. The server (``web/logs.py``) and the site build use it."""

from __future__ import annotations

import json
import logging
from typing import Any


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, the record's ``fields``,
    and the traceback of an exception as text."""

    _second: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        # the time, formatted once a second (the server writes a line per request)
        if int(record.created) != self._second[0]:
            self._second = (int(record.created), self.formatTime(record, "%Y-%m-%dT%H:%M:%S"))
        line: dict[str, Any] = {"time": self._second[1],
                                "level": record.levelname.lower(), "logger": record.name,
                                "pid": record.process,  # which worker, under --workers N
                                "message": record.getMessage(), **getattr(record, "fields", {})}
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO) -> None:
    """JSON lines on standard error for the ``sdgtrack`` loggers (the server, the build)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    root = logging.getLogger("sdgtrack")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
