"""``parindex methodology list``: the methodologies shipped with the package."""

from __future__ import annotations

from .helpers import RunCli


def test_it_lists_the_three_shipped_methodologies(run: RunCli) -> None:
    result = run("methodology", "list")

    assert result.code == 0
    assert result.err == ""
    rows = [line.split("\t") for line in result.out.splitlines()]
    assert [row[0] for row in rows] == ["example-commune", "par2948-ministry", "par2948-province"]
    by_id = {row[0]: row for row in rows}
    assert by_id["par2948-ministry"][1:3] == ["ministry", "2948/QĐ-BNV"]
    assert by_id["par2948-province"][1:3] == ["province", "2948/QĐ-BNV"]
    assert by_id["example-commune"][1] == "commune"
    assert by_id["example-commune"][3].endswith("(example)")
    assert not by_id["par2948-ministry"][3].endswith("(example)")


def test_it_takes_no_arguments(run: RunCli) -> None:
    result = run("methodology", "list", "extra")

    assert result.code == 2
    assert "unrecognized arguments: extra" in result.err
