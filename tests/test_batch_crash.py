"""A report of a batch that fails in any way, even by a fault in jtai-docs itself, is listed with what went wrong
while the others are still built, and the exit status says that not every report was built; report.toml's title
and author longer than Word allows are located problems, found by check too."""

from __future__ import annotations

from pathlib import Path

import docx

from helpers import errors_of, run
from jtai_docs import pipeline


def example(folder: Path) -> Path:
    return pipeline.create_report_folder(folder)[0]


def written(report: Path) -> bool:
    return Path(pipeline.check_report(report, fill_in=False).settings.output).is_file()


def test_a_fault_building_one_report_does_not_stop_the_batch(tmp_path, monkeypatch):
    first, broken, last = (example(tmp_path / name) for name in ("a", "b", "c"))
    build_report = pipeline.build_report

    def faulty(settings_path: Path, **options):
        if settings_path == broken:
            raise ZeroDivisionError("division by zero")
        return build_report(settings_path, **options)

    monkeypatch.setattr(pipeline, "build_report", faulty)
    result = run("build", tmp_path)
    assert result.exit_code == 1
    assert written(first) and written(last) and not written(broken)
    assert (
        f"{broken}: not built. jtai-docs failed unexpectedly (ZeroDivisionError: division by zero). This is a "
        "fault in jtai-docs, not in your files; please report it." in result.stderr
    )
    assert "\nBuilt 2 of 3 report(s)." in result.stdout
    assert f"Not built (1): {broken}" in result.stderr


def test_a_template_mistake_and_a_title_too_long_are_listed_while_the_others_are_built(tmp_path):
    first, typo, long_title, last = (example(tmp_path / name) for name in ("a", "b", "c", "d"))
    template = Path(pipeline.check_report(typo, fill_in=False).settings.template)
    document = docx.Document(str(template))
    document.paragraphs[7].runs[0].text = "On {{ meeting_date|longdate }}"
    document.save(str(template))
    toml = long_title.read_text(encoding="utf-8")
    title_line = next(line for line in toml.splitlines() if line.startswith("title = "))
    long_title.write_text(toml.replace(title_line, f'title = "{"T" * 256}"'), encoding="utf-8")
    result = run("build", tmp_path)
    assert result.exit_code == 1
    assert written(first) and written(last)
    assert f"{typo}: not built. 1 problem must be fixed" in result.stderr
    assert "unknown filter 'longdate'; did you mean 'long_date'?" in result.stderr
    assert f"{long_title}: not built. 1 problem must be fixed" in result.stderr
    line = toml.splitlines().index(title_line) + 1
    assert (
        f"Error: report.toml, key [report] title (line {line}): this is 256 characters; at most 255, Word's limit "
        "for a document's title" in result.stderr
    )
    assert "\nBuilt 2 of 4 report(s)." in result.stdout


def test_check_finds_an_author_longer_than_word_allows_and_a_number_where_text_belongs(tmp_path):
    report = example(tmp_path / "r")
    toml = report.read_text(encoding="utf-8")
    author = next(line for line in toml.splitlines() if line.startswith("author = "))
    title = next(line for line in toml.splitlines() if line.startswith("title = "))
    report.write_text(toml.replace(author, f'author = "{"A" * 300}"').replace(title, "title = 42"), encoding="utf-8")
    result = run("check", report)
    assert result.exit_code == 1
    errors = errors_of(result.stderr)
    assert any(
        "key [report] author (line" in error
        and "this is 300 characters; at most 255, Word's limit for a document's author" in error
        for error in errors
    ), errors
    assert any(
        "key [report] title (line" in error and "expected text in quotes, not a number" in error for error in errors
    ), errors
