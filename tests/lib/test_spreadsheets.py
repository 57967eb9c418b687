"""Workbooks of several sheets, read back with openpyxl."""

import io
import warnings

from coursehub.lib.spreadsheets import MAX_SHEET_TITLE, Sheet, to_xlsx, workbook_bytes


def _load(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportWarning)
        from openpyxl import load_workbook
    return load_workbook(io.BytesIO(data))


def _values(worksheet):
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


def test_a_two_sheet_workbook_keeps_both_sheets_in_order_and_neutralises_formulas_in_both():
    data = workbook_bytes(
        [
            Sheet(
                "Deltagare",
                ["Namn", "Kommun"],
                [['=HYPERLINK("http://evil")', "Jönköping"], ["Åsa", "+46 70"]],
            ),
            Sheet("Närvaro", ["Träff", "Andel"], [["@SUM(A1)", 0.75], ["-1+1", 3]]),
        ]
    )
    workbook = _load(data)
    assert workbook.sheetnames == ["Deltagare", "Närvaro"]
    assert _values(workbook["Deltagare"]) == [
        ["Namn", "Kommun"],
        ['\'=HYPERLINK("http://evil")', "Jönköping"],
        ["Åsa", "'+46 70"],
    ]
    assert _values(workbook["Närvaro"]) == [["Träff", "Andel"], ["'@SUM(A1)", 0.75], ["'-1+1", 3]]
    for worksheet in workbook.worksheets:
        assert all(cell.data_type != "f" for row in worksheet.iter_rows() for cell in row)


def test_a_long_title_is_cut_to_excels_limit():
    workbook = _load(workbook_bytes([Sheet("x" * 40, ["A"], [])]))
    assert workbook.sheetnames == ["x" * MAX_SHEET_TITLE]


def test_the_one_sheet_call_writes_the_rows_as_given():
    workbook = _load(to_xlsx([["Rubrik"], ["A", "B"], ["=1", 2]], sheet_title="Lista"))
    assert workbook.sheetnames == ["Lista"]
    assert _values(workbook["Lista"]) == [["Rubrik", None], ["A", "B"], ["'=1", 2]]
