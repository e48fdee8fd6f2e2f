"""Only shapes, counts, error classes and keyed hashes leave a run: not the names of the files
and directories it read (a mailbox export named after its owner, a key in a file name), not the
values a policy's allow and deny lists name, not a bad pattern. The whole output tree (data,
audit, quarantine, the saved policy, file names) and the process's own stdout and stderr are
scanned, in a real `datamin run` process."""

from __future__ import annotations

import base64
import gzip
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from datamin.leakscan import needles_for, scan_text, scan_tree


@dataclass(frozen=True)
class Planted:
    entity: str
    value: str


DIR_NAME = "ana.souza@example.com"
FILE_STEM = "AKIAIOSFODNN7EXAMPLE"
ALLOWED = "allowcanary77@example.com"
DENIED = "Denycanary Smithers"
# Emails hidden in the encodings and forms a careless detector reads past (issue 13, item 8):
# each is planted as the address and as the text that carries it.
GZIPPED = "gzcanary.lindqvist@example.org"
HEXED = "hexcanary.okafor@example.net"
BASE32ED = "b32canary.moreau@example.com"
QP = "qpcanary.santos@example.com"
WITH_SUFFIX = "filecanary.ito@example.com"
QUOTED = '"quoted canary"@example.com'
BRACKETED = "brk.canary [at] example [dot] com"
ENCODED = {
    GZIPPED: base64.b64encode(gzip.compress(f"contact {GZIPPED}".encode(), mtime=0)).decode(),
    HEXED: HEXED.encode().hex(),
    BASE32ED: base64.b32encode(BASE32ED.encode()).decode(),
    QP: QP.replace("@", "=40").replace(".", "=2E"),
    WITH_SUFFIX: f"{WITH_SUFFIX}.pdf",
    QUOTED: QUOTED,
    BRACKETED: BRACKETED,
}
PLANTED = [
    Planted("EMAIL_ADDRESS", DIR_NAME),
    Planted("AWS_ACCESS_KEY", FILE_STEM),
    Planted("EMAIL_ADDRESS", ALLOWED),
    Planted("PERSON", DENIED),
    *(Planted("EMAIL_ADDRESS", email) for email in ENCODED if email != BRACKETED),
    *(Planted("ENCODED", text) for text in ENCODED.values()),
]
POLICY = f"""\
version: 1
name: no_values
retention: {{default: short, classes: {{short: 7d}}}}
default_action: scan
detection:
  ner: false
  allow: ["{ALLOWED}"]
  deny: {{PERSON: ["{DENIED}"]}}
"""


def test_names_and_policy_values_stay_out_of_everything_a_run_writes_or_prints(
    tmp_path: Path,
) -> None:
    folder = tmp_path / DIR_NAME
    folder.mkdir()
    source = folder / f"{FILE_STEM}.jsonl"
    lines = [
        json.dumps({"note": f"call {DENIED} today", "time": "2026-12-01T10:00:00Z"}),
        "{not json",  # quarantined: its entry must not name the file
        json.dumps({"contact": "support desk", "time": "2026-12-01T11:00:00Z"}),
        *(
            json.dumps({"note": f"payload {text} end", "time": "2026-12-01T12:00:00Z"})
            for text in ENCODED.values()
        ),
    ]
    source.write_text("\n".join(lines) + "\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "datamin.cli.app", "run", "-i", str(source), "-o", str(out),
         "-p", str(policy)],
        capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    needles = needles_for(PLANTED)
    assert [needles[i] for i in scan_text(done.stdout + done.stderr, needles)] == []
    assert scan_tree(out, needles) == []
    audits = list((out / "_audit" / "runs").glob("*.json"))
    assert len(audits) == 1
    audit = json.loads(audits[0].read_text())
    assert audit["records_quarantined"] == 1 and audit["balanced"]
