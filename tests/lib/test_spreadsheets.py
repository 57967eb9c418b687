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


def test_csv_numbers_have_a_decimal_comma_for_swedish_spreadsheet_programs():
    from decimal import Decimal

    from coursehub.lib.spreadsheets import to_csv

    data = to_csv([["Träff", "Andel (%)", "Antal"], ["Tema 1", 87.5, 3], ["Tema 2", Decimal("12.25"), 0]])
    assert data.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the BOM
    assert data.decode("utf-8-sig").splitlines() == [
        "Träff;Andel (%);Antal",
        "Tema 1;87,5;3",
        "Tema 2;12,25;0",
    ]


def test_a_workbook_opens_with_a_bold_frozen_filtered_header_wide_columns_and_properties():
    data = workbook_bytes(
        [Sheet("Deltagare", ["Namn", "E-postadress"], [["Åsa Öberg-Älvsjö", "asa.oberg@exempel.se"]])],
        title="Deltagare i Ett hem att växa i",
        creator="Familjehemsresursen",
    )
    workbook = _load(data)
    sheet = workbook["Deltagare"]
    assert [cell.font.bold for cell in sheet[1]] == [True, True]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B2"
    assert sheet.column_dimensions["B"].width >= len("asa.oberg@exempel.se")
    assert workbook.properties.title == "Deltagare i Ett hem att växa i"
    assert workbook.properties.creator == "Familjehemsresursen"


def test_a_caption_above_the_header_keeps_the_header_frozen_and_filtered():
    workbook = _load(workbook_bytes([Sheet("Lista", ["A", "B"], [[1, 2]], caption="Kurs X")]))
    sheet = workbook["Lista"]
    assert sheet["A1"].value == "Kurs X" and sheet["A2"].value == "A"
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:B3"
