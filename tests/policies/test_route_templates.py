"""A `url_path` rule's route templates are checked with the policy: a parameter's column and
retention class agree with every other rule's, before any record is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from datamin.errors import PolicyError
from datamin.policies.loader import load_policy

BASE = """
version: 1
name: routes
retention: {{default: debug, classes: {{debug: 7d}}}}
fields:
  - {{path: response.status, action: keep, column: status, type: int64}}
  - path: request.path
    action: generalize
    kind: url_path
    column: route
    templates:
      - template: /users/{{user_id}}
        params:
          user_id: {param}
"""


@pytest.mark.parametrize(
    ("param", "why"),
    [
        ("{action: pseudonymize, column: user}", None),
        ("{action: drop}", None),
        # refused: another rule's int64 column, a reserved name, an undeclared class, keep
        ("{action: pseudonymize, column: status}", "another type"),
        ("{action: pseudonymize, column: record_id}", "reserved"),
        ("{action: pseudonymize, column: user, retention: forever}", "not declared"),
        ("{action: keep, column: user}", "never kept"),
    ],
)
def test_template_params_are_checked(tmp_path: Path, param: str, why: str | None) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(BASE.format(param=param))
    if why is None:
        load_policy(path)
        return
    with pytest.raises(PolicyError, match=why):
        load_policy(path)
