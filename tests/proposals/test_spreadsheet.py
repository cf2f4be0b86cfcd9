"""Reading an import spreadsheet: the limits a file must keep to."""

import pytest

from proposals.spreadsheet import HEADERS, ImportRejected, read_rows


def test_more_than_20000_rows_are_refused():
    lines = [";".join(HEADERS)] + ["31.71.04.1002.001;Judul"] * 20_001
    with pytest.raises(ImportRejected) as rejected:
        read_rows("\n".join(lines).encode(), "banyak.csv")
    [problem] = rejected.value.problems
    assert "lebih dari 20.000 baris" in problem.message
