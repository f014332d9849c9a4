"""Reports served together get an address each, even when their folders have the same name; the page at each
address is that report's own."""

from __future__ import annotations

from helpers import Row, beside_workbook, make_workbook
from jtai_docs import pipeline
from jtai_docs.web import WebConfig, create_app, name_reports


def test_reports_in_folders_of_the_same_name_each_get_their_own_page(tmp_path):
    first, second = tmp_path / "2019" / "March", tmp_path / "2020" / "March"
    for folder, rows in ((first, [Row(ref="1.01")]), (second, [Row(ref="1.01"), Row(ref="1.02", status="Amber")])):
        folder.mkdir(parents=True)
        make_workbook(folder / "plan.xlsx", rows)
    reports = [beside_workbook(first), beside_workbook(second)]
    config = WebConfig(reports=name_reports(reports))
    app = create_app(config)
    try:
        client = app.test_client()
        index = client.get("/").get_data(as_text=True)
        assert 'href="/reports/march"' in index and 'href="/reports/march-2"' in index
        for address, report in (("/reports/march", reports[0]), ("/reports/march-2", reports[1])):
            page = client.get(address)
            assert page.status_code == 200
            shown = page.get_data(as_text=True)
            amber = pipeline.check_report(report).table1.count("Amber")
            # The Amber total of this report's own Table 1, linked to the actions behind it.
            assert f'{amber}<span class="visually-hidden"> Amber actions in all themes</span>' in shown
    finally:
        app.extensions["jtai_docs"].libreoffice.close()
