"""The batch writers (checker/batch/writers.py): gradebook rows and their guard against
spreadsheet formulas, JSONL lines."""

from __future__ import annotations

import csv
import io
import json

import checker
from checker.batch.readers import Item
from checker.batch.runner import Result
from checker.batch.summary import Summary
from checker.batch.writers import COLUMNS, CsvWriter, JsonlWriter, safe_cell

TEXT = "Dear Ms. Lee,\n\nThank you for the interview today.\n\nBest,\nAmy"


def test_safe_cell_defuses_formulas():
    assert safe_cell("=HYPERLINK(\"x\")").startswith("'")
    assert safe_cell("+1") == "'+1" and safe_cell("plain") == "plain" and safe_cell(3) == 3


def test_csv_gradebook_has_one_row_a_draft_in_the_documented_columns():
    out = io.StringIO()
    w = CsvWriter(out, Summary())
    w.write(Result(Item("=cmd", TEXT, "a.txt"), checker.check(TEXT), None))
    w.close()
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(COLUMNS) and rows[0]["id"] == "'=cmd"


def test_jsonl_lines_are_the_report_with_an_id():
    out = io.StringIO()
    w = JsonlWriter(out, Summary())
    w.write(Result(Item("s1", TEXT, "a.txt"), checker.check(TEXT), None))
    w.close()
    line = json.loads(out.getvalue().splitlines()[0])
    assert line["id"] == "s1" and line["schema"] == "followup-checker/report/1"
