"""The default Word template, shipped inside jtai-docs as package data for `jtai-docs init` and builds."""
