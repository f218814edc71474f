"""Log lines: each carries its request's id; refused requests are told at INFO
without a traceback; with ``LOG_FORMAT=json`` each line is one JSON object.

Used by ``LOGGING`` in the settings and by gunicorn (``gunicorn.conf.py``), whose
access log then comes out in the same shape.
"""

import contextvars
import logging

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

#: The id of the request being served in this thread ("-" outside a request).
request_id = contextvars.ContextVar("request_id", default="-")

#: gunicorn's access-log atoms, by the field name they get in JSON.
ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "request_id": "{x-request-id}o",
    "forwarded_for": "{x-forwarded-for}i",
    "user_agent": "a",
}


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on the record: the id of the request it names (Django's
    request logs, written when the response is done) or of the one being served."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "id", None) or request_id.get()
        return True


class DeniedRequestsAtInfo(logging.Filter):
    """A refused request (400, 403, 404, 405, 429 …) is news, not an error.

    Django logs a 403 at WARNING with the whole traceback of ``PermissionDenied``,
    and a bad ``Host`` at ERROR with its traceback: such lines are turned into one
    line at INFO. Server errors (5xx) keep their level and traceback.
    """

    def filter(self, record):
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.levelno > logging.INFO:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
            return logging.getLogger(record.name).isEnabledFor(logging.INFO)
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line: time, level, logger, message, request id and the
    record's extra fields (for a request: its method, path and client address, as
    the rate limits see it); an access-log line of gunicorn's gets its fields named."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            "{levelname}{name}{message}{request_id}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601, in UTC
        )

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "method"):
            from throttling.address import client_address

            log_data["method"] = request.method
            log_data["path"] = request.path
            log_data["client"] = client_address(request)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for field, atom in ACCESS_FIELDS.items():
                log_data[field] = record.args[atom]
            log_data["status"] = int(log_data["status"])
            log_data.pop("message", None)
