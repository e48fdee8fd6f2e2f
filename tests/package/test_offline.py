"""Presidio's email recognizer works with no network, through the bundled suffix list."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import tldextract
import tldextract.tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from datamin.offline import make_tldextract_offline


def test_email_detection_makes_no_network_attempt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[:1])
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    # The state a fresh process starts in: the default extractor, with an empty cache.
    monkeypatch.setattr(
        tldextract.tldextract, "TLD_EXTRACTOR", tldextract.TLDExtract(cache_dir=str(tmp_path))
    )

    make_tldextract_offline()
    make_tldextract_offline()  # idempotent

    assert tldextract.extract("maria@mail.example.co.uk").suffix == "co.uk"
    found = EmailRecognizer().analyze("write to maria.g@mail.example.co.uk", ["EMAIL_ADDRESS"])
    assert [(r.start, r.end) for r in found] == [(9, 35)]
    assert attempts == []
    assert list(tmp_path.iterdir()) == []  # nothing cached either
