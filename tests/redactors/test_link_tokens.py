"""Access tokens in the paths of links written in text, and the page names that stay."""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.link_tokens import LinkTokenDetector

DETECTOR = LinkTokenDetector()
BODY = FieldContext.of("body", FieldKind.TEXT)


def secrets(text: str) -> list[str]:
    return [text[f.start : f.end] for f in DETECTOR.detect(text, BODY)]


@pytest.mark.parametrize(
    ("text", "token"),
    [
        # A UUID after a sign-in word: whoever holds the link is let in.
        (
            "click https://app.acme.io/login/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d to sign in",
            "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        ),
        ("join us: https://team.example.org/i/Zk4pR8wQ2nLx", "Zk4pR8wQ2nLx"),  # a short invite
        ("reset here https://example.com/reset/aB3dE5fG7hJ9kL1m", "aB3dE5fG7hJ9kL1m"),
        ("https://shop.example.com/account/verify/x7Kq2Lm9Pz4Rt8Vw?x=1", "x7Kq2Lm9Pz4Rt8Vw"),
        ("link: https://notes.example.net/magic/Hq82KdL0aPz7Ne3X.", "Hq82KdL0aPz7Ne3X"),
        ("https://mail.example.com/unsubscribe/e4f1c2a9b8d7e6f5a4b3", "e4f1c2a9b8d7e6f5a4b3"),
        ("https://app.example.com/invite/7fGh2Jk9LmNp3Qr)", "7fGh2Jk9LmNp3Qr"),
    ],
)
def test_tokens_after_access_words(text: str, token: str) -> None:
    assert secrets(text) == [token]


@pytest.mark.parametrize(
    "text",
    [
        # Page names after the same words: words, slugs, a counter.
        "Docs at https://example.com/login/help and https://example.com/reset/password",
        "https://example.com/verify/email-address",
        "https://example.com/invite/friends",
        "https://example.com/share/2024-summer-sale",
        "https://example.com/confirm/order-12345",
        "https://zoom.example.com/j/123456789",  # digits alone: a meeting's number
        # A random segment after no access word: a resource's id, another family's business.
        "https://api.example.com/orders/9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        "/login/Zk4pR8wQ2nLx without a link's scheme and host",
    ],
)
def test_page_names_stay(text: str) -> None:
    assert secrets(text) == []
