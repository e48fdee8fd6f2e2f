"""The leak scan finds planted values wherever a run could leave them, in whatever form, and
says which without saying what."""

from __future__ import annotations

import base64
import bz2
import gzip
import json
import zipfile
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datamin.errors import InputError
from datamin.leakscan import Leak, needles_for, scan_text, scan_tree
from datamin.sample import Planted, generate_sample

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiI4ODEyNzMxIiwianRpIjoiM2Y5YzFiMmUifQ."
    "q3Jm1W0uYbqzR3mHcH0kHk1mBv9aM0n8wq0c2xT7bE4"
)
BASIC = base64.b64encode(b"svc-reporting-42:Copper#Meadow2291").decode()
PEM = "\n".join(
    [
        "-----BEGIN PRIVATE KEY-----",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
        "q8Zx0PLw==",
        "-----END PRIVATE KEY-----",
    ]
)


def _needles(entity: str, value: str) -> list[str]:
    return [n for _, n in needles_for([Planted(entity, value, "x")])]


@pytest.mark.parametrize(
    ("entity", "value", "variant"),
    [
        ("EMAIL_ADDRESS", "Ana.Lima7@mail.example.com", "Ana.Lima7@mail.example.com"),
        ("EMAIL_ADDRESS", "Ana.Lima7@mail.example.com", "ana.lima7@mail.example.com"),
        # a query string written by urlencode
        ("EMAIL_ADDRESS", "Ana.Lima7@mail.example.com", "Ana.Lima7%40mail.example.com"),
        ("PERSON", "José Núñez", "Jos\\u00e9 N\\u00fa\\u00f1ez"),  # json.dumps default
        ("PERSON", "José Núñez", "Jos%C3%A9%20N%C3%BA%C3%B1ez"),
        ("PERSON", "José Núñez", "Jos%C3%A9+N%C3%BA%C3%B1ez"),  # form encoding
        ("PERSON", "José Núñez", "josé núñez"),
        ("CREDIT_CARD", "4111 1111 1111 1111", "4111111111111111"),
        ("PHONE_NUMBER", "(202) 555-0147", "2025550147"),
        ("US_SSN", "219-45-6789", "219456789"),
        ("IBAN_CODE", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("JWT", JWT, JWT.split(".")[1]),  # the payload, if only the signature was cut
        ("JWT", JWT, JWT.split(".")[2]),
        ("BASIC_AUTH", BASIC, "svc-reporting-42:Copper#Meadow2291"),
        ("BASIC_AUTH", "Basic " + BASIC, "Copper#Meadow2291"),
        ("PRIVATE_KEY", PEM, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),  # one body line is enough
        ("PRIVATE_KEY", PEM, json.dumps(PEM)[1:-1]),  # newlines escaped, as in a JSON body
        # a PEM inside a JSON body inside a HAR file: escaped twice
        ("PRIVATE_KEY", PEM, json.dumps(json.dumps(PEM)[1:-1])[1:-1]),
    ],
)
def test_needles_include_the_forms_a_value_takes(entity: str, value: str, variant: str) -> None:
    assert variant in _needles(entity, value)


@pytest.mark.parametrize(
    ("entity", "value", "absent"),
    [
        # 7 digits: as digits alone they would match order numbers and timestamps
        ("PHONE_NUMBER", "555-0147", "5550147"),
        # digits-only is for numbers, not for tokens that happen to hold digits
        ("BEARER_TOKEN", "a1b2c3d4e5f6g7h8i9j0", "1234567890"),
        # a last-four is not the number
        ("US_SSN", "219-45-6789", "6789"),
    ],
)
def test_needles_leave_out_forms_that_would_hit_harmless_text(
    entity: str, value: str, absent: str
) -> None:
    assert absent not in _needles(entity, value)


def test_short_values_give_no_needles_and_shared_needles_appear_once() -> None:
    assert needles_for([Planted("PASSWORD", "abc12", "x")]) == []
    needles = needles_for(
        [Planted("PERSON", "Maria Gonzalez", "a"), Planted("PERSON", "maria gonzalez", "b")]
    )
    texts = [n for _, n in needles]
    assert len(texts) == len(set(texts))
    assert texts.count("maria gonzalez") == 1


def test_scan_text_reports_indexes() -> None:
    needles = [("EMAIL_ADDRESS", "ana@example.com"), ("PERSON", "Maria Gonzalez")]
    assert scan_text("to: Maria Gonzalez", needles) == [1]
    assert scan_text("nothing here", needles) == []


@given(value=st.text(min_size=6, max_size=40), wrap=st.sampled_from(["plain", "json", "url"]))
def test_a_planted_value_is_found_however_it_was_written(value: str, wrap: str) -> None:
    written = {
        "plain": f"prefix {value} suffix",
        "json": json.dumps({"note": json.dumps({"body": value})}),  # JSON in a JSON string
        "url": "https://api.shop.example/v1?q=" + quote(value, safe=""),
    }[wrap]
    assert scan_text(written, needles_for([Planted("SECRET", value, "x")]))


# Values for the tree tests: each is planted in one place only.
PLANTS = {
    "map_value": Planted("EMAIL_ADDRESS", "quinn.harlow55@mail.example.com", "p"),
    "map_key": Planted("PERSON", "Thaddeus Okonkwo", "p"),
    "struct_list": Planted("US_SSN", "219-45-6789", "p"),
    "kv_metadata": Planted("API_KEY", "AKIAJQ7X2ZK4W5LPRM3N", "p"),
    "field_metadata": Planted("PASSWORD", "Saffron!Glacier4471", "p"),
    "gzip": Planted("PERSON", "Zoë Valdivia", "p"),
    "bz2_log": Planted("SESSION_ID", "d0c1e5b7a1f94c2e8e3b6f0a9c7d2e41", "p"),
    "hidden_tmp": Planted("EMAIL_ADDRESS", "r.lindqvist@example.org", "p"),
    "utf16": Planted("PHONE_NUMBER", "+1 415-555-0132", "p"),
    "zip_member": Planted("CREDIT_CARD", "5105105105105100", "p"),
}
FILLER = ["!!-filler-min", "~~-filler-max"]  # sort before and after any planted value


def _write_tree(root: Path, plants: dict[str, Planted]) -> dict[str, str]:
    """Each plant where a pipeline could leave it; returns plant name -> relative file."""
    v = {name: p.value for name, p in plants.items()}
    schema = pa.schema(
        [
            pa.field("attrs", pa.map_(pa.string(), pa.string())),
            pa.field(
                "meta",
                pa.struct([("inner", pa.struct([("notes", pa.list_(pa.string()))]))]),
                metadata={"comment": v["field_metadata"]},
            ),
        ],
        metadata={"datamin.source": v["kv_metadata"]},
    )
    table = pa.table(
        {
            "attrs": [
                [("k", FILLER[0]), ("email", v["map_value"]), ("k2", FILLER[1])],
                [(v["map_key"], "x"), (FILLER[1], "y"), (FILLER[0], "z")],
            ],
            "meta": [{"inner": {"notes": [FILLER[0], v["struct_list"], FILLER[1]]}}, None],
        },
        schema=schema,
    )
    (root / "out" / "date=2026-03-02").mkdir(parents=True)
    pq.write_table(table, root / "out/date=2026-03-02/part-0.parquet", compression="gzip")
    (root / "out/run.log.gz").write_bytes(gzip.compress(json.dumps({"n": v["gzip"]}).encode()))
    (root / "out/audit.log.bz2").write_bytes(bz2.compress(f"sid={v['bz2_log']}\n".encode()))
    (root / ".staging").mkdir()
    (root / ".staging/.tmp-3f9c").write_text(f"GET /?e={quote(v['hidden_tmp'], safe='')}\n")
    (root / "out/notes.txt").write_text(f"call {v['utf16']}", encoding="utf-16")
    with zipfile.ZipFile(root / "out/export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/records.jsonl", json.dumps({"card": v["zip_member"]}) * 3)
    return {
        "map_value": "out/date=2026-03-02/part-0.parquet",
        "map_key": "out/date=2026-03-02/part-0.parquet",
        "struct_list": "out/date=2026-03-02/part-0.parquet",
        "kv_metadata": "out/date=2026-03-02/part-0.parquet",
        "field_metadata": "out/date=2026-03-02/part-0.parquet",
        "gzip": "out/run.log.gz",
        "bz2_log": "out/audit.log.bz2",
        "hidden_tmp": ".staging/.tmp-3f9c",
        "utf16": "out/notes.txt",
        "zip_member": "out/export.zip",
    }


def test_scan_tree_finds_each_plant_in_its_file(tmp_path: Path) -> None:
    where = _write_tree(tmp_path, PLANTS)
    # Preconditions: these are invisible to a plain byte search, so only decoding finds them.
    parquet = (tmp_path / where["map_value"]).read_bytes()
    for name in ("map_value", "map_key", "struct_list", "field_metadata"):
        assert PLANTS[name].value.encode() not in parquet, name
    assert PLANTS["gzip"].value.encode() not in (tmp_path / where["gzip"]).read_bytes()

    for name, plant in PLANTS.items():
        files = {leak.file for leak in scan_tree(tmp_path, needles_for([plant]))}
        assert files == {where[name]}, name


def test_leaks_carry_entity_and_index_but_never_the_value(tmp_path: Path) -> None:
    _write_tree(tmp_path, PLANTS)
    needles = needles_for(PLANTS.values())
    leaks = scan_tree(tmp_path, needles)
    assert leaks and all(isinstance(leak, Leak) for leak in leaks)
    assert all(leak.entity == needles[leak.needle_index][0] for leak in leaks)
    printed = repr(leaks)
    assert not [n for n, p in PLANTS.items() if p.value in printed]


def test_a_clean_tree_has_no_leaks(tmp_path: Path) -> None:
    others = {
        name: Planted(p.entity, f"clean-{i:02d}-value-{p.entity.lower()}", "p")
        for i, (name, p) in enumerate(PLANTS.items())
    }
    _write_tree(tmp_path, others)
    assert scan_tree(tmp_path, needles_for(PLANTS.values())) == []


def test_an_unreadable_parquet_file_fails_the_scan_without_naming_values(tmp_path: Path) -> None:
    table = pa.table({"email": [PLANTS["map_value"].value] * 50})
    pq.write_table(table, tmp_path / "part-0.parquet", compression="zstd")
    data = (tmp_path / "part-0.parquet").read_bytes()
    (tmp_path / "part-0.parquet").write_bytes(data[: len(data) // 2])  # a writer killed midway
    with pytest.raises(InputError) as raised:
        scan_tree(tmp_path, needles_for([PLANTS["map_value"]]))
    assert "part-0.parquet" in str(raised.value)
    assert PLANTS["map_value"].value not in str(raised.value)


def test_a_missing_root_is_an_error_not_a_clean_result(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        scan_tree(tmp_path / "never-written", [])


def test_every_value_planted_in_the_sample_is_found_in_it(tmp_path: Path) -> None:
    # The sample is what an identity pipeline would write: the scan must flag all of it.
    manifest = generate_sample(tmp_path, har_entries=24, messages=16)
    needles = needles_for(manifest.planted)
    found = {needles[leak.needle_index][1] for leak in scan_tree(tmp_path, needles)}
    missed = [p.where for p in manifest.planted if not any(n in found for _, n in needles_for([p]))]
    assert missed == []
