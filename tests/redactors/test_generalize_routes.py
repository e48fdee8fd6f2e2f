"""Routes analysts can use: `generalize` with `kind: url_path` collapses identifiers by their
shape and keeps API versions, resource names and file extensions; route templates a policy
names win over shapes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from datamin.redactors.operators.base import NO_CONTEXT
from datamin.redactors.operators.generalize import Generalize, GeneralizeParams, RouteTemplate

TWILIO_AC = "AC0a1b2c3d4e5f60718293a4b5c6d7e8f9"
TWILIO_SM = "SM9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def route(path: str, **params: object) -> str | None:
    return Generalize(GeneralizeParams(kind="url_path", **params)).apply(path, NO_CONTEXT)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # Twilio: a dated version, Pascal-case resources and extensions stay; SIDs go.
        (
            f"/2010-04-01/Accounts/{TWILIO_AC}/Messages.json",
            "/2010-04-01/Accounts/{id}/Messages.json",
        ),
        (f"/2010-04-01/Accounts/{TWILIO_AC}/Calls.json", "/2010-04-01/Accounts/{id}/Calls.json"),
        (
            f"/2010-04-01/Accounts/{TWILIO_AC}/Messages/{TWILIO_SM}.json",
            "/2010-04-01/Accounts/{id}/Messages/{id}.json",
        ),
        (
            f"/2010-04-01/Accounts/{TWILIO_AC}/IncomingPhoneNumbers.json",
            "/2010-04-01/Accounts/{id}/IncomingPhoneNumbers.json",
        ),
        # Stripe: prefixed base62 ids go, snake_case resources and actions stay.
        ("/v1/charges", "/v1/charges"),
        ("/v1/customers/cus_NffrFeUfNV2Hib", "/v1/customers/{id}"),
        ("/v1/charges/ch_3MmlLrLkdIwHu7ix0snN0B15/refund", "/v1/charges/{id}/refund"),
        (
            "/v1/payment_intents/pi_3MtwBwLkdIwHu7ix28a3tqPa/confirm",
            "/v1/payment_intents/{id}/confirm",
        ),
        ("/v1/subscriptions/sub_1MowQVLkdIwHu7ixeRlqHVzs", "/v1/subscriptions/{id}"),
        # a long snake_case resource is words, not a prefixed id
        ("/v1/subscription_schedules", "/v1/subscription_schedules"),
        # an action on a collection is not one of its members
        ("/v1/customers/search", "/v1/customers/search"),
        # GitHub: a login and a repository name after `repos/`, a login after `users/`.
        ("/repos/octocat/Hello-World/pulls/1347", "/repos/{id}/{id}/pulls/{id}"),
        ("/users/octocat/repos", "/users/{id}/repos"),
        ("/orgs/github/members", "/orgs/{id}/members"),
        # `/user` is the caller; `repos` after it is a sub-collection, not a login
        ("/user/repos", "/user/repos"),
        (
            "/repos/o/r/git/commits/7638417db6d59f3c431d3e1f261cc637155684cd",
            "/repos/{id}/{id}/git/commits/{hash}",
        ),
        # Versions of every usual shape stay.
        ("/v2beta/projects", "/v2beta/projects"),
        ("/v1.1/statuses/update.json", "/v1.1/statuses/update.json"),
        ("/api/v1/oauth2/token", "/api/v1/oauth2/token"),
        # Identifiers by shape, wherever they sit.
        ("/v1/orders/ORD-2026-118734", "/v1/orders/{id}"),
        ("/v1/sessions/a8Fk29dLq0", "/v1/sessions/{id}"),
        ("/v1/items/xkQmvTzpLw", "/v1/items/{id}"),  # letters only, but no word
        ("/v1/items/qzxrtplm", "/v1/items/{id}"),
        # lower-case acronyms are words (a gateway review's API Management suffix `/crm/`)
        ("/crm/v1/contacts", "/crm/v1/contacts"),
        ("/api/sms/send", "/api/sms/send"),
        ("/v2/dns/zones", "/v2/dns/zones"),
        ("/grpc/health-svc/check", "/grpc/health-svc/check"),
        ("/export/pdf", "/export/pdf"),
        ("/v1/lookup/ann%40example.com", "/v1/lookup/{email}"),
        ("/v1/lookup/ann@example.com", "/v1/lookup/{email}"),
        # a file's name says whose it is, a tag is what someone typed (a hostile-input review)
        ("/files/report.pdf", "/files/{id}.pdf"),
        ("/v1/files/Wilhelmina_Quackenbush_CV.pdf", "/v1/files/{id}.pdf"),
        ("/v1/tags/Quackenbush", "/v1/tags/{id}"),
        ("/v1/files/Wilhelmina_Quackenbush_CV.pdf/content", "/v1/files/{id}.pdf/content"),
        ("/v1/users/me", "/v1/users/me"),
    ],
)
def test_routes_keep_versions_and_resources(path: str, expected: str) -> None:
    assert route(path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/v1/users/8812731/orders", "/v1/users/{id}/orders"),
        (
            "https://api.example.com/v1/users/8812731/orders?page=2",
            "https://api.example.com/v1/users/{id}/orders",
        ),
        ("/v1/customers/ann-lee", "/v1/customers/{id}"),  # only the shape differs
    ],
)
def test_templates_win_over_shapes(path: str, expected: str) -> None:
    assert route(path) == expected
    templated = route(path, templates=[{"template": "/v1/users/{user_id}/orders"}])
    if "/users/" in path:
        prefix = "https://api.example.com" if "://" in path else ""
        assert templated == prefix + "/v1/users/{user_id}/orders"
    else:
        assert templated == expected


def test_route_params_names_the_matching_template_and_decodes_segments() -> None:
    op = Generalize(
        GeneralizeParams(
            kind="url_path",
            templates=[
                {"template": "/v1/orgs/{org}/members"},
                {"template": "/v1/users/{user_id}/orders/{order_id}"},
            ],
        )
    )
    assert op.route_params("/v1/users/ann%40example.com/orders/77?x=1") == (
        1,
        {"user_id": "ann@example.com", "order_id": "77"},
    )
    assert op.route_params("/v1/users/1/orders") == (-1, {})  # a segment short: no match


@pytest.mark.parametrize(
    ("template", "why"),
    [
        # a path parameter is an identifier: kept as it is it would defeat the route
        (
            {"template": "/users/{id}", "params": {"id": {"action": "keep", "column": "u"}}},
            "never kept",
        ),
        (
            {"template": "/users/{id}", "params": {"id": {"action": "pseudonymize"}}},
            "needs a column",
        ),
        (
            {"template": "/users/{id}", "params": {"other": {"action": "drop"}}},
            "no parameter other",
        ),
        ({"template": "/users/{id}/x/{id}"}, "used twice"),
        ({"template": "/users/id-{id}"}, "whole segment"),
        ({"template": "users/{id}"}, "template"),
    ],
)
def test_bad_templates_are_refused(template: dict[str, object], why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        RouteTemplate.model_validate(template)


def test_templates_are_for_paths_only() -> None:
    with pytest.raises(ValidationError, match="url_path"):
        GeneralizeParams(kind="ip", templates=[{"template": "/a/{b}"}])


def test_a_route_template_s_own_parameters_stay_as_they_are() -> None:
    """Gateways log the template (`resourcePath`, `routeKey`): its `{name}` is no identifier."""
    from datamin.redactors.operators.generalize import _segment

    assert _segment("{customerId}") == "{customerId}"
    assert _segment("{proxy_}") == "{proxy_}"
    assert _segment("{a b}") != "{a b}"  # not a parameter's name: judged as any segment
