"""Secrets said in messages: one-time codes, PINs, a card's code, a login's password.

An OTP is short-lived, but a message log is read while it may still be valid, and no analysis
needs it: it goes as a password. Codes that are no secret (a promotion's, an error's, a postal
one) stay.
"""

from __future__ import annotations

import pytest

from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.credentials import CredentialDetector

DETECTOR = CredentialDetector()


def said(text: str) -> list[tuple[str, str]]:
    found = DETECTOR.detect(text, FieldContext.of("body", FieldKind.TEXT))
    return [(f.entity, text[f.start : f.end]) for f in found]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Your verification code is 482913. Do not share it.", "482913"),
        ("482913 is your Acme code", "482913"),  # the code first
        ("G-551203 is your Google verification code.", "551203"),  # a letter's prefix
        ("Use 7731 to log in to Acme. Expires in 10 min.", "7731"),
        ("Ihr Bestätigungscode lautet: 906152", "906152"),
        ("Tu código de verificación es 330971", "330971"),
        ("Votre code de vérification : 120934", "120934"),
        # a few words, an amount among them, between the code's name and the code
        ("OTP for txn of INR 2,500.00 is 118822. Valid for 5 mins.", "118822"),
        ("Your login code: 441 902", "441 902"),
        ("pin 4821 for the door", "4821"),
        ("the gate code is 1979#", "1979"),
        ("and the cvc is 937", "937"),
        # a login written user and password
        ("my login is ann / Summer2024!", "Summer2024!"),
        ("login: ann.lee / P@ssw0rd123", "P@ssw0rd123"),
        ("creds -> admin:Zx9!qwe77", "Zx9!qwe77"),
    ],
)
def test_a_secret_said_in_a_message(text: str, secret: str) -> None:
    assert said(text) == [("PASSWORD", secret)]


@pytest.mark.parametrize(
    "text",
    [
        "Your code review is ready",
        "Promo code SUMMER24 gives 20% off",
        "Step 3: enter the 6-digit code we sent",
        "error code 5003 on checkout",
        "Use 2 to 4 cups of flour",
        "Your verification code expired at 10:45",
        "account: 12/2024 statement",
        "user: ann logged in at 10:45",
        ".fa-user:before{content:'x'} .login:focus{color:red}",
        "logins: 1204 / 3391 failed",  # counts: no letter, no password
    ],
)
def test_no_secret_in_a_message(text: str) -> None:
    assert said(text) == []
