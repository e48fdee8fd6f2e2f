"""What a run keeps of its policy beside the output: retention and structure, never the values
an author wrote into allow and deny lists or patterns; and a bad pattern's error names none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from datamin.keys import KeyRing
from datamin.output.policy_copy import HEADER, saved_form

CANARIES = [
    "allowcanary77@example.com",
    r"allowpattern-canary\d+",
    "Denycanary Smith",
    r"CUST-CANARY-\d{6}",
    "Recogcanary Jones",
    r"recog-canary-[0-9]{4}",
]
POLICY = f"""\
version: 1
name: canaries
retention: {{default: short, classes: {{short: 7d, long: forever}}}}
quarantine: {{raw_retention: 2d}}
detection:
  allow: ["{CANARIES[0]}"]
  allow_patterns: ['{CANARIES[1]}']
  deny: {{PERSON: ["{CANARIES[2]}"]}}
  patterns:
    - {{entity: CUSTOMER_NO, regex: '{CANARIES[3]}', score: 0.9}}
  recognizers:
    - supported_entity: CASE_NO
      deny_list: ["{CANARIES[4]}"]
      patterns: [{{name: case, regex: '{CANARIES[5]}', score: 0.8}}]
fields:
  - {{path: request.method, action: keep, column: method}}
"""


def test_the_saved_copy_keeps_what_disposal_reads_and_no_value() -> None:
    keys = KeyRing(b"k" * 32)
    body = saved_form(POLICY.encode(), keys)
    text = body.decode()
    assert body.startswith(HEADER)
    for canary in CANARIES:
        assert canary not in text
    saved = yaml.safe_load(text)
    original = yaml.safe_load(POLICY)
    assert saved["retention"] == original["retention"]
    assert saved["quarantine"] == original["quarantine"]
    assert saved["fields"] == original["fields"]
    assert len(saved["detection"]["deny"]["PERSON"]) == 1
    # deterministic under one key (a re-run saves the same bytes), another under another key
    assert saved_form(POLICY.encode(), keys) == body
    assert saved_form(POLICY.encode(), KeyRing(b"j" * 32)) != body


def test_a_bad_pattern_is_reported_without_quoting_it(tmp_path: Path) -> None:
    """RE2 logs a bad pattern to stderr itself (C++, past Python's capture): it must not."""
    policy = tmp_path / "bad.yaml"
    policy.write_text(
        "version: 1\nname: bad\nretention: {default: s, classes: {s: 7d}}\n"
        "detection:\n  patterns:\n    - {entity: CUSTOMER_NO, regex: '(secretcanary42'}\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "datamin.cli.app", "policy", "check", str(policy)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "invalid regex" in done.stdout + done.stderr
    assert "secretcanary42" not in done.stdout + done.stderr
