"""The suite's leak scan itself: it must fail a test that leaks, and pass one that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

CONFTEST = Path(__file__).parent / "conftest.py"


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST.read_text())
    cases = pytester.path / "pipelines" / "cases"
    cases.mkdir(parents=True)
    (cases / "planted.json").write_text(
        (Path(__file__).parent / "pipelines" / "cases" / "planted.json").read_text()
    )
    return pytester


def test_printing_a_planted_value_fails_the_test(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        "import logging\n"
        "def test_prints():\n    print('user password Hunter2-Correct-Horse')\n"
        "def test_logs():\n    logging.getLogger('x').warning('to %s', 'ann.lee@example.com')\n"
        "def test_clean():\n    print('nothing to see')\n"
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    assert "Hunter2" not in result.stdout.str()  # the report names needle indexes only


def test_a_planted_value_left_in_an_output_dir_fails_the_test(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        "def test_writes(tmp_path):\n"
        "    (tmp_path / 'out').mkdir()\n"
        "    (tmp_path / 'out' / 'log.txt').write_text('session=s3cr3t-Sess10n-Valu3-77aa')\n"
        "def test_input_copies_are_not_outputs(tmp_path):\n"
        "    (tmp_path / 'in.txt').write_text('session=s3cr3t-Sess10n-Valu3-77aa')\n"
    )
    result = inner.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
