"""The example workbook and report.toml, shipped inside jtai-docs as package data for `jtai-docs init`."""
