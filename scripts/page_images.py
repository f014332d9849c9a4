"""Renders the README's pictures of the built report: Table 1's page and the first page of Appendix 2.

    .venv/bin/python scripts/page_images.py

Builds the default report with its PDF in a private copy of inputs/ and templates/, finds the pages in the
PDF's text, and renders them with poppler's pdftoppm (Debian: poppler-utils) into docs/images/. Run it after
changing the template or the example workbook, and commit the pictures with the change.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdf

from jtai_docs import pipeline

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
#: (file name, text that starts the page's content) for each picture.
PAGES = [("table1-page", "Table 1:"), ("appendix2-page", "Appendix 2: JTAI Improvement Action Plan")]
RESOLUTION = 60  # dots per inch: readable on GitHub, small in the repository


def main() -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm is needed: sudo apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in ("inputs", "templates"):
            shutil.copytree(ROOT / name, work / name)
        result = pipeline.build_report(work / "inputs" / "report.toml", pdf=True)
        if result.pdf is None:
            sys.exit(f"no PDF was made: {result.pdf_error}")
        texts = [page.extract_text() for page in pypdf.PdfReader(str(result.pdf)).pages]
        IMAGES.mkdir(parents=True, exist_ok=True)
        for name, marker in PAGES:
            number = next(index for index, text in enumerate(texts, start=1) if marker in text)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(RESOLUTION),
                    "-f",
                    str(number),
                    "-l",
                    str(number),
                    "-singlefile",
                    str(result.pdf),
                    str(IMAGES / name),
                ],
                check=True,
            )
            print(f"{IMAGES / name}.png: page {number} of {len(texts)}")


if __name__ == "__main__":
    main()
