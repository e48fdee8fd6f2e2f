"""`datamin report`: what an output holds and what happened to it, from its audit records and
Parquet footers only: runs and their record counts, findings, quarantine, partitions and their
expiry, disposals. `collect` reads it into a `Summary`; `render_html` makes the page,
`terminal.tables` the rich tables, `Summary.to_json` the JSON."""

from __future__ import annotations

from datamin.report.collect import collect
from datamin.report.html import render_html
from datamin.report.summary import Summary

__all__ = ["Summary", "collect", "render_html"]
