"""No network at run time: switches for libraries that would otherwise fetch data on first use."""

from __future__ import annotations

import tldextract
import tldextract.tldextract

_OFFLINE: tldextract.TLDExtract | None = None


def make_tldextract_offline() -> None:
    """Point tldextract's module-level extractor at the public suffix snapshot it ships with.

    Presidio's EmailRecognizer calls `tldextract.extract`, whose default extractor downloads the
    public suffix list on first use and caches it under the home directory. With no URLs and no
    cache directory it reads the bundled snapshot instead. The snapshot is loaded here, once,
    so the first email seen does not pay for it. Idempotent.
    """
    global _OFFLINE
    if _OFFLINE is None:
        _OFFLINE = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        _OFFLINE("example.com")
    tldextract.tldextract.TLD_EXTRACTOR = _OFFLINE
