"""jtai-docs: committee reports built from the JTAI action-plan workbook and a council-style Word template."""
