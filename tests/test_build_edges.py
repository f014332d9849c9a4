"""A build that succeeded says so even when what follows goes wrong: an earlier report that is not a Word document
is kept in history/ and the comparison is a warning; standard output that cannot be written is not a fault in
jtai-docs; a history folder that cannot be written is named with the real cause."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import errors_of, run, snapshot
from jtai_docs import output, pipeline


def built(folder: Path) -> tuple[Path, Path]:
    settings = pipeline.create_report_folder(folder)[0]
    assert run("build", settings).exit_code == 0
    return settings, Path(pipeline.check_report(settings, fill_in=False).settings.output)


def test_an_earlier_report_that_is_not_a_word_document_is_kept_and_the_build_succeeds(tmp_path):
    settings, report = built(tmp_path)
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600  # saved as Word 97-2003 under the .docx name
    report.write_bytes(old)
    result = run("build", "--force", settings)
    assert result.exit_code == 0, result.output
    kept = list((report.parent / "history").iterdir())
    assert [path.read_bytes() for path in kept] == [old]
    assert f"Wrote {report}\n" in result.stdout
    assert f"The earlier version is kept as {kept[0]}" in result.stdout
    assert "No differences" not in result.stdout
    assert (
        f"Warning: the earlier version could not be compared with this build: {kept[0]}: this is an old-format "
        "Word file (.doc); open it in Word and save it as a Word Document (.docx)" in result.stderr
    )
    assert report.read_bytes()[:2] == b"PK"


def test_standard_output_that_cannot_be_written_is_said_and_is_not_a_fault(tmp_path):
    settings = pipeline.create_report_folder(tmp_path)[0]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "jtai_docs", "build", str(settings)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert done.returncode == 74
    assert errors_of(done.stderr) == [
        "Error: the messages could not be printed on standard output (No space left on device). What was done "
        "before that is done: a report built is written."
    ]
    assert Path(pipeline.check_report(settings, fill_in=False).settings.output).is_file()


def test_a_history_folder_that_is_a_file_is_named(tmp_path):
    settings, report = built(tmp_path)
    (report.parent / "history").write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)
    settings.write_text(settings.read_text(encoding="utf-8").replace("date = 2019-02-11", "date = 2019-03-11"))
    result = run("build", "--force", settings)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: could not keep the earlier report in the history folder {report.parent / 'history'}: it is a file, "
        "not a folder; rename or move that file and build again. The earlier report is unchanged."
    ]
    after = snapshot(tmp_path)
    assert {key: value for key, value in after.items() if key != "report.toml"} == {
        key: value for key, value in before.items() if key != "report.toml"
    }


def test_a_history_folder_that_cannot_be_written_is_named_with_the_cause(tmp_path, monkeypatch):
    settings, report = built(tmp_path)
    settings.write_text(settings.read_text(encoding="utf-8").replace("date = 2019-02-11", "date = 2019-03-11"))
    before = report.read_bytes()

    def refused(path: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output, "keep_in_history", refused)
    result = run("build", "--force", settings)
    assert result.exit_code == 1
    assert errors_of(result.stderr) == [
        f"Error: could not keep the earlier report in the history folder {report.parent / 'history'}: Permission "
        "denied; check that you may save files in that folder and build again. The earlier report is unchanged."
    ]
    assert "close it" not in result.stderr
    assert report.read_bytes() == before


def test_text_refuses_a_file_it_cannot_read_as_it_refuses_the_others():
    result = run("text", "/dev/null")
    assert result.exit_code == 2
    assert errors_of(result.stderr) == [
        "Error: null: the Word document is a device, not an ordinary file (looked for /dev/null)"
    ]
    assert "must be fixed" not in result.stderr


def test_init_quotes_a_folder_with_spaces_in_the_command_it_suggests(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("OneDrive - Durham County Council") / "march 2019"
    result = run("init", folder)
    assert result.exit_code == 0
    quoted = "'OneDrive - Durham County Council/march 2019/report.toml'"
    assert result.stdout.endswith(f"then run: jtai-docs build {quoted}\n")
    comment = f"# Build the report with:   jtai-docs build {quoted}  (from the folder you ran jtai-docs init in)"
    assert comment in (folder / "report.toml").read_text(encoding="utf-8").splitlines()
    built = subprocess.run(
        f"{sys.executable} -m jtai_docs check {quoted}", shell=True, capture_output=True, text=True, timeout=300
    )
    assert built.returncode == 0, built.stderr  # the command as suggested, pasted into a shell, works
