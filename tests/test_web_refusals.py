"""The web pages refuse what they cannot serve with a page an officer can act on, and never start with nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtai_docs.errors import UsageError
from jtai_docs.web import WebConfig, create_app, name_reports, server


def test_a_request_of_a_kind_no_page_answers_gets_the_not_found_page(project: Path):
    app = create_app(WebConfig(reports=name_reports([project / "inputs" / "report.toml"])))
    try:
        response = app.test_client().delete("/")
    finally:
        app.extensions["jtai_docs"].libreoffice.close()
    page = response.get_data(as_text=True)
    assert response.status_code == 405
    assert "Page not found" in page and "Start again from the list of reports." in page


def test_the_web_pages_need_at_least_one_report():
    with pytest.raises(UsageError) as raised:
        create_app(WebConfig(reports=()))
    assert raised.value.message == "give at least one report.toml to serve"


def test_serving_on_localhost_needs_no_access_code_but_another_address_does(project: Path):
    """localhost, like 127.0.0.1, is reachable only from this computer; a network address is not."""
    reports = [project / "inputs" / "report.toml"]

    config = server.configure(reports=reports, host="localhost", token_file=None, no_auth=False)
    assert config.token is None

    with pytest.raises(UsageError) as raised:
        server.configure(reports=reports, host="192.0.2.10", token_file=None, no_auth=False)
    assert raised.value.message.startswith("--host 192.0.2.10 lets other computers connect")
