"""tokenize: deterministic AES-SIV tokens keyed per (retention class, event date), read back
by key holders, and refused wherever they would be made without their period."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from datamin.errors import KeyConfigError, TokenError
from datamin.keys import KeyRing
from datamin.output.reidentify import NO_KEY, UNAUTHENTIC, parse_token, reidentify
from datamin.output.tokenkeys import EphemeralTokenKeys, TokenKeyStore
from datamin.policies.model import Policy
from datamin.redactors.operators import OperatorContext, build
from datamin.redactors.operators.tokenize import Tokenize, TokenizeParams

MASTER = b"k" * 32
DAY = "2026-03-02"
VALUE = "cust-5551-test"
TOKEN = re.compile(r"^tok_short_20260302_[A-Za-z0-9_-]{22,}$")


@pytest.fixture
def store(tmp_path: Path) -> TokenKeyStore:
    s = TokenKeyStore(tmp_path / "token-keys")
    s.init()
    return s


def tokenizer(store: object, **params: str) -> Tokenize:
    op = build(TokenizeParams(**params), KeyRing(MASTER, token_store=store))  # type: ignore[arg-type]
    assert isinstance(op, Tokenize)
    return op


def unseal(key: bytes, token: str, entity: str | None) -> str:
    """A token opened by hand, as AES-SIV with the entity as associated data."""
    [reading] = parse_token(token, "test")
    return AESSIV(key).decrypt(reading.sealed, [(entity or "").encode()]).decode()


def test_the_token_names_its_period_and_is_stable(store: TokenKeyStore) -> None:
    op = tokenizer(store)
    token = op.tokenize(VALUE, None, "short", DAY)
    assert TOKEN.match(token)
    assert VALUE not in token
    # same value, same period: the same token, in this operator and in a fresh one (a new worker)
    assert op.tokenize(VALUE, None, "short", DAY) == token
    assert tokenizer(store).tokenize(VALUE, None, "short", DAY) == token


def test_a_disposed_key_is_never_used_again_by_a_tokenizer_that_cached_it(
    store: TokenKeyStore,
) -> None:
    """One process, two runs with a dispose between them (the API, a notebook, a test): the
    tokenizer kept the period's cipher, but the key is gone, so the old cipher must not make
    tokens nobody can read back. The next token is made under the new key and reads back."""
    op = tokenizer(store)
    ctx = OperatorContext(None, "short", DAY)
    first = op.apply(VALUE, ctx)
    assert store.delete("short", DAY)
    second = op.apply(VALUE, ctx)
    assert second != first
    new_key = store.key_for("short", DAY, create=False)
    assert new_key is not None and unseal(new_key, second, None) == VALUE
    with pytest.raises(InvalidTag):
        unseal(new_key, first, None)
    assert op.apply(VALUE, ctx) == second  # the new key's cipher is kept again


@pytest.mark.parametrize(
    ("retention", "day", "entity", "why"),
    [
        ("short", "2026-03-03", None, "another date has another key"),
        ("long", DAY, None, "another class has another key"),
        ("short", DAY, "EMAIL_ADDRESS", "the entity is associated data"),
    ],
)
def test_another_period_or_entity_gives_another_token(
    store: TokenKeyStore, retention: str, day: str, entity: str | None, why: str
) -> None:
    op = tokenizer(store)
    base = op.tokenize(VALUE, None, "short", DAY)
    other = op.tokenize(VALUE, entity, retention, day)
    assert other.split("_", 3)[3] != base.split("_", 3)[3], why


def test_the_entity_is_bound_as_associated_data(store: TokenKeyStore) -> None:
    token = tokenizer(store).tokenize(VALUE, "EMAIL_ADDRESS", "short", DAY)
    key = store.key_for("short", DAY, create=False)
    assert key is not None
    assert unseal(key, token, "EMAIL_ADDRESS") == VALUE
    with pytest.raises(InvalidTag):  # read as another entity's token, it does not open
        unseal(key, token, "PHONE_NUMBER")
    with pytest.raises(InvalidTag):
        unseal(key, token, None)


@pytest.mark.parametrize(
    ("value", "entity", "retention"),
    [
        (VALUE, None, "short"),
        ("Ann.Lee-Test@Example.invalid", "EMAIL_ADDRESS", "short"),  # not case-folded
        ("", None, "short"),  # empty, still a token
        ("tab\there, newline\nthere, back\\slash", None, "short"),
        ("ünïcödé 客户 🙂", None, "long_term_2"),  # a class name with digits and underscores
        ("x" * 5000, None, "short"),
    ],
)
def test_reidentify_gives_the_value_back(
    store: TokenKeyStore, value: str, entity: str | None, retention: str
) -> None:
    token = tokenizer(store).tokenize(value, entity, retention, DAY)
    [result] = reidentify([(token, "argument 1")], store)
    assert result.value == value and result.reason is None


def test_a_custom_entity_needs_naming(store: TokenKeyStore) -> None:
    """Without --entity, reidentify tries no entity and the catalogue's; a policy's own
    entity must be named."""
    token = tokenizer(store).tokenize(VALUE, "CUSTOMER_NO", "short", DAY)
    [unnamed] = reidentify([(token, "argument 1")], store)
    assert unnamed.value is None and unnamed.reason == UNAUTHENTIC
    [named] = reidentify([(token, "argument 1")], store, ["CUSTOMER_NO"])
    assert named.value == VALUE


def test_a_custom_prefix(store: TokenKeyStore) -> None:
    token = tokenizer(store, prefix="cust_").tokenize(VALUE, None, "short", DAY)
    assert token.startswith("cust_short_20260302_")
    assert reidentify([(token, "argument 1")], store)[0].value == VALUE


@pytest.mark.parametrize(
    "prefix",
    [
        "tok",  # must end in the one underscore that separates it from the class
        "to_k_",  # a second underscore: where the class begins would be ambiguous
        "_",
        "tok-",
        "a" * 16 + "_",
    ],
)
def test_a_prefix_reidentify_could_not_parse_is_refused(prefix: str) -> None:
    with pytest.raises(ValidationError):
        TokenizeParams(prefix=prefix)


def _flip(token: str, at: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    c = token[at]
    return token[:at] + alphabet[(alphabet.index(c) + 1) % 64] + token[at + 1 :]


@pytest.mark.parametrize(
    "at",
    [
        len("tok_short_20260302_") + 3,  # inside the synthetic IV
        -3,  # inside the ciphertext (not the last character, whose low bits are padding)
    ],
)
def test_a_tampered_token_does_not_open(store: TokenKeyStore, at: int) -> None:
    token = tokenizer(store).tokenize(VALUE * 2, None, "short", DAY)
    [result] = reidentify([(_flip(token, at), "argument 1")], store)
    assert result.value is None and result.reason == UNAUTHENTIC


def test_a_token_moved_to_another_period_does_not_open(store: TokenKeyStore) -> None:
    op = tokenizer(store)
    token = op.tokenize(VALUE, None, "short", DAY)
    op.tokenize("another", None, "short", "2026-03-03")  # that period's key exists
    moved = token.replace("20260302", "20260303")
    assert reidentify([(moved, "argument 1")], store)[0].reason == UNAUTHENTIC


def test_a_disposed_key_makes_the_token_unrecoverable(store: TokenKeyStore) -> None:
    token = tokenizer(store).tokenize(VALUE, None, "short", DAY)
    assert reidentify([(token, "argument 1")], store)[0].value == VALUE
    assert store.delete("short", DAY)
    [result] = reidentify([(token, "argument 1")], store)
    # No output's disposal record names the key: "disposed" is only said when one does
    # (tests/output/test_honest_messages.py).
    assert result.value is None and result.reason == NO_KEY


@pytest.mark.parametrize(
    "token",
    [
        "",
        "tok_",
        "tok_short_20260302_",  # no ciphertext
        "tok_short_20260302_AAAA",  # shorter than a synthetic IV
        "tok_short_2026032_" + "A" * 24,  # seven digits
        "tok_short_20260230_" + "A" * 24,  # not a date
        "tok_Short_20260302_" + "A" * 24,  # not a class name
        "tok_short_20260302_" + "A" * 23 + "=",  # padding is not written
        "tok_short_20260302_" + "A" * 23 + "+",  # not base64url
        "psn_0123456789abcdef01234567",  # a pseudonym, not a token
    ],
)
def test_a_malformed_token_names_its_position_not_itself(store: TokenKeyStore, token: str) -> None:
    with pytest.raises(TokenError) as caught:
        reidentify([("tok_ok_20260302_" + "A" * 24, "argument 1"), (token, "argument 2")], store)
    assert str(caught.value).startswith("argument 2 is not a datamin token")
    assert token == "" or token not in str(caught.value)


@pytest.mark.parametrize(
    "ctx",
    [
        OperatorContext(),  # a detected span's context names no partition
        OperatorContext("EMAIL_ADDRESS", retention="short"),  # no event date
        OperatorContext("EMAIL_ADDRESS", event_date=DAY),  # no retention class
    ],
)
def test_apply_without_its_period_fails_closed(store: TokenKeyStore, ctx: OperatorContext) -> None:
    with pytest.raises(TokenError, match="retention class") as caught:
        tokenizer(store).apply(VALUE, ctx)
    assert VALUE not in str(caught.value)


def test_apply_tokenizes_in_the_period_its_context_names(store: TokenKeyStore) -> None:
    op = tokenizer(store)
    ctx = OperatorContext("EMAIL_ADDRESS", retention="short", event_date=DAY)
    assert op.apply(VALUE, ctx) == op.tokenize(VALUE, "EMAIL_ADDRESS", "short", DAY)


@pytest.mark.parametrize(
    "keys",
    [
        None,  # no key ring at all
        KeyRing(MASTER),  # a ring that names no token key store
    ],
)
def test_no_token_store_no_operator(keys: KeyRing | None) -> None:
    with pytest.raises(KeyConfigError, match="token key store"):
        build(TokenizeParams(), keys)


def test_an_unwritable_store_is_refused_at_build(tmp_path: Path) -> None:
    with pytest.raises(KeyConfigError, match="does not exist"):
        tokenizer(TokenKeyStore(tmp_path / "absent"))


@given(
    st.text(max_size=200),
    st.sampled_from([None, "EMAIL_ADDRESS", "CUSTOMER_NO"]),
    st.sampled_from(["short", "long_term"]),
    st.dates().map(lambda d: d.isoformat()),
)
def test_a_token_decrypts_to_its_value(
    value: str, entity: str | None, retention: str, day: str
) -> None:
    keys = EphemeralTokenKeys()
    op = tokenizer(keys)
    token = op.tokenize(value, entity, retention, day)
    key = keys.key_for(retention, day, create=False)
    assert key is not None
    assert token.startswith(f"tok_{retention}_{day.replace('-', '')}_")
    assert unseal(key, token, entity) == value
    assert op.tokenize(value, entity, retention, day) == token


# -- the policy language -----------------------------------------------------------------------


def _policy(**more: object) -> dict[str, object]:
    return {
        "version": 1,
        "name": "t",
        "retention": {"default": "short", "classes": {"short": "7d"}},
        **more,
    }


def test_a_tokenize_field_rule_validates() -> None:
    p = Policy.model_validate(
        _policy(fields=[{"path": "customer_id", "action": "tokenize", "column": "customer"}])
    )
    assert p.fields[0].action == "tokenize"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"entity": "API_KEY"}, "credential"),  # credentials are never tokenized
        ({"entity": "PASSWORD"}, "credential"),
        ({"type": "int64"}, "type must be string"),  # a token is text
        ({"prefix": "t_o_"}, "prefix"),
    ],
)
def test_a_tokenize_rule_that_cannot_hold_is_refused(rule: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Policy.model_validate(
            _policy(fields=[{"path": "customer_id", "action": "tokenize", **rule}])
        )


@pytest.mark.parametrize("spec", ["tokenize", {"action": "tokenize"}])
def test_tokenize_is_refused_for_detected_spans(spec: object) -> None:
    with pytest.raises(ValidationError, match="field rule's action only"):
        Policy.model_validate(_policy(entities={"EMAIL_ADDRESS": spec}))


def test_a_key_that_cannot_be_made_fails_without_naming_the_period(store: TokenKeyStore) -> None:
    op = tokenizer(store)
    (store.root / "short").mkdir(mode=0o700)
    (store.root / "short" / f"{DAY}.key").write_text("not hex")  # a corrupt key for the period
    with pytest.raises(KeyConfigError) as caught:
        op.tokenize(VALUE, None, "short", DAY)
    assert str(caught.value) == "token key unavailable (malformed)"
