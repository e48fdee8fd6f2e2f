"""The header a syslog relay or a log collector writes before an access log line, read off so
the line is read by its own grammar (`textlogs`):

- RFC 3164 (BSD syslog), as nginx's `access_log syslog:server=...` sends it and rsyslog files
  it: `<190>Dec  1 10:15:42 web01 nginx: `, the priority and the host each optional;
- RFC 5424: `<190>1 2026-12-01T10:15:42.123Z web01 nginx 1234 - - `, its structured data `-`
  or bracketed elements, or left out as Heroku's log drains leave it
  (`<158>1 2026-12-01T10:15:42+00:00 host heroku router - at=info ...`);
- an ISO time instead of the BSD one (rsyslog's `RSYSLOG_FileFormat`, systemd's journal
  exported as text, `heroku logs`: `2026-12-01T10:15:42.123456+00:00 heroku[router]: `).

Only the time is read (an ISO one; a BSD time has no year, so it says no date): the host and
the program's name are the relay's, kept as any JSON value, judged by their content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)"
_BSD = r"[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d"
_SD = r"(?:-|(?:\[(?:[^\]\\\r\n]|\\.)*\])+)"
HEADER = re.compile(
    r"(?:<\d{1,3}>)?(?:"
    rf"1 ({_ISO}|-) (\S+) (\S+) \S+ \S+ (?:{_SD} )?"  # RFC 5424 (Heroku's drains: no SD)
    rf"|({_ISO}|{_BSD}) (?:(\S+) )?([\w./-]+)(?:\[[^\]\s]*\])?: "  # RFC 3164, ISO time
    r")"
)


@dataclass(frozen=True)
class Header:
    time: str | None  # ISO 8601, or None (a BSD time, or `-`)
    host: str | None
    app: str | None
    length: int  # where the line after it starts


def read(text: str) -> Header | None:
    """The syslog header `text` starts with, or None."""
    m = HEADER.match(text)
    if m is None:
        return None
    if m.group(1) is not None:
        time, host, app = m.group(1), m.group(2), m.group(3)
    else:
        time, host, app = m.group(4), m.group(5), m.group(6)
    return Header(
        time if time != "-" and time[:1].isdigit() else None,
        None if host in (None, "-") else host,
        None if app in (None, "-") else app,
        m.end(),
    )
