"""Magic-link, invite and reset tokens in the paths of URLs written in text
(`https://app.example.com/login/3f2c...`, `/i/Qm7xK2pL9vR4`, `/reset/<token>`): a path segment
after a word of signing in, resetting, inviting, verifying, confirming or unsubscribing, made
like a random token, is a credential while it lives: whoever holds the link is let in as its
owner. A word there (`/login/help`, `/verify/email-address`, `/invite/friends`) is a page's
name and stays.
"""

from __future__ import annotations

from datamin import quiet_re2
from datamin.redactors.context import FieldContext, FieldKind
from datamin.redactors.findings import Finding
from datamin.redactors.registry import DetectorSettings

# The words of a path that hands out access (`/login/`, `/magic-link/`, `/password/reset/`,
# `/i/`, Slack's and Discord's short invite path).
_WORDS = (
    r"login|log-in|signin|sign-in|sign_in|magic|magic-link|magic_link|magiclink|reset|"
    r"reset-password|password-reset|reset_password|password_reset|invite|invites|invitation|"
    r"invitations|i|join|verify|verification|confirm|confirmation|confirm-email|unsubscribe|"
    r"activate|activation|onboard|onboarding|accept|auth|token|access|claim|share|s"
)
_LINK = quiet_re2.compile(
    r"(?i:https?://)[\p{L}\p{N}.\-]+(?::\d+)?(?:/[^\s/?#\"'<>]*)*?/(?i:" + _WORDS + r")/"
    r"([A-Za-z0-9_\-]{8,128})(?:$|[/?#\s\"'<>).,;!])"
)
_UUID = quiet_re2.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_WORD_RUN = quiet_re2.compile(r"[a-z]{5,}|[A-Z]{5,}|[A-Z][a-z]{4,}")
_PROSE = (FieldKind.TEXT, FieldKind.JSON)


def random_looking(segment: str) -> bool:
    """A token, not a page's or a slug's name: a UUID, or letters and digits mixed (two of
    each at least) with no run of a word's letters (`order-12345`, `2024-summer-sale`)."""
    if _UUID.fullmatch(segment) is not None:
        return True
    digits = sum(c.isdigit() for c in segment)
    letters = sum(c.isalpha() for c in segment)
    return digits >= 2 and letters >= 2 and _WORD_RUN.search(segment) is None


class LinkTokenDetector:
    """Access tokens in the paths of links written in text."""

    name = "link_tokens"
    entities = frozenset(("SECRET",))
    scores = {"SECRET": (0.9,)}
    skips = frozenset(kind for kind in FieldKind if kind not in _PROSE)

    def __init__(self, settings: DetectorSettings | None = None) -> None:
        self.settings = settings or DetectorSettings()

    def detect(self, text: str, ctx: FieldContext) -> list[Finding]:
        if ctx.kind not in _PROSE or "://" not in text:
            return []
        found = []
        for m in _LINK.finditer(text):
            if random_looking(m.group(1)):
                found.append(Finding("SECRET", m.start(1), m.end(1), 0.9, self.name))
        return found
