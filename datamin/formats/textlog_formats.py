"""The text access log formats by name (`--format combined`, `alb`, `elb`, `haproxy`, `s3`,
`logfmt`, `envoy-text`): each sniffed by its first line's grammar (`textlogs`), after a syslog
header or not, and read as lines, each an `api` record."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import IO

from datamin.core.records import Item, RawRecord
from datamin.formats import envoytext, logfmt_access, s3access, syslog_header
from datamin.formats.exchange import KIND, ApiExchange, replay_api
from datamin.formats.jsonlines import JsonLines
from datamin.formats.textlogs import ALB, COMBINED, ELB, HAPROXY


class TextLogFormat:
    name = "text-log"
    grammar: re.Pattern[str] = COMBINED
    # `.log` names JSON lines as often as text: these formats are recognized by content only.
    extensions: tuple[str, ...] = ()
    kind = ApiExchange()

    def sniff(self, head: bytes) -> bool:
        """A file whose first line is one of this grammar, after a syslog header or not."""
        first = head.split(b"\n", 1)[0]
        return not first.startswith(b"{") and self._is_one(first)

    def _is_one(self, line: bytes) -> bool:
        text = line.decode("utf-8", "replace")
        if self._reads(text):
            return True
        header = syslog_header.read(text)
        return header is not None and self._reads(text[header.length :])

    def _reads(self, text: str) -> bool:
        return bool(self.grammar.match(text))

    def read(self, path: str, stream: IO[bytes], max_record_bytes: int) -> Iterator[Item]:
        # Lines as JSON lines are read (bounded, numbered from 1), each declared an `api` record.
        for item in JsonLines().read(path, stream, max_record_bytes):
            yield replace(item, kind=KIND) if isinstance(item, RawRecord) else item

    def replay(self, raw: bytes, kind: str | None) -> tuple[str, bytes]:
        return replay_api(raw)


class CombinedFormat(TextLogFormat):
    """`--format combined`: NCSA Common or Combined Log Format lines (Apache, nginx)."""

    name = "combined"
    grammar = COMBINED


class AlbFormat(TextLogFormat):
    """`--format alb`: AWS Application Load Balancer access log lines."""

    name = "alb"
    grammar = ALB


class HaproxyFormat(TextLogFormat):
    """`--format haproxy`: HAProxy HTTP log lines."""

    name = "haproxy"
    grammar = HAPROXY


class ElbFormat(TextLogFormat):
    """`--format elb`: AWS Classic Load Balancer access log lines."""

    name = "elb"
    grammar = ELB


class S3Format(TextLogFormat):
    """`--format s3`: Amazon S3 server access log lines."""

    name = "s3"
    grammar = s3access.S3


class LogfmtFormat(TextLogFormat):
    """`--format logfmt`: requests logged as `key=value` pairs (Heroku's router)."""

    name = "logfmt"

    def _reads(self, text: str) -> bool:
        return logfmt_access.parse(text) is not None


class EnvoyTextFormat(TextLogFormat):
    """`--format envoy-text`: Envoy's (or Istio's) default text access log lines. Sniffed before
    JSON, as its lines open with `[`: by its first line, or, when that is Envoy's own log or
    cut short, by a later line of the head."""

    name = "envoy-text"
    grammar = envoytext.ENVOY

    def sniff(self, head: bytes) -> bool:
        first, *later = head.split(b"\n")
        if self._is_one(first):
            return True
        return bool(envoytext.START.match(first.decode("utf-8", "replace"))) and any(
            map(self._is_one, later[:-1])
        )
