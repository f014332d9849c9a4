"""A new report folder from the examples shipped inside the package, for `jtai-docs init`."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from .errors import JtaiDocsError, UsageError
from .output import save_file

#: Where each shipped file goes in the new folder, and which report.toml key points at it.
_FILES = (
    ("jtai_docs.inputs", "report.toml", Path("report.toml"), None),
    ("jtai_docs.inputs", "action_plan.xlsx", Path("action_plan.xlsx"), "workbook"),
    ("jtai_docs.templates", "committee_report.docx", Path("templates") / "committee_report.docx", "template"),
)
#: Where the new folder's report is built, relative to its report.toml.
_OUTPUT = Path("outputs") / "committee_report.docx"


def create_report_folder(folder: Path) -> list[Path]:
    """Writes report.toml, the example workbook and the default template into folder; refuses to overwrite."""
    targets = [folder / target for _, _, target, _ in _FILES]
    existing = [path for path in targets if path.exists()]
    if existing:
        names = ", ".join(str(path) for path in existing)
        raise UsageError(
            message=f"{names} already exist(s); nothing was written. Choose a new folder name, "
            "or move those files away first"
        )
    from importlib import resources  # only init writes the starter files: not imported for every command

    contents = {target: resources.files(package).joinpath(name).read_bytes() for package, name, target, _ in _FILES}
    settings = Path("report.toml")
    contents[settings] = _name_the_folder(_point_at_copies(contents[settings].decode("utf-8")), folder).encode("utf-8")
    for target, data in contents.items():
        save_file(folder / target, data)
    return targets


def _point_at_copies(text: str) -> str:
    """The shipped report.toml with its paths pointing at the copies beside it."""
    paths = {key: target for _, _, target, key in _FILES if key} | {"output": _OUTPUT}
    for key, target in paths.items():
        text, count = re.subn(rf"(?m)^{key} = .*$", f'{key} = "{target.as_posix()}"', text)
        if count != 1:
            # The shipped report.toml is part of jtai-docs, so this is a fault in the package, not in the officer's
            # files.
            raise JtaiDocsError(message=f"the example report.toml shipped with jtai-docs has no single {key!r} line")
    return text


def _name_the_folder(text: str, folder: Path) -> str:
    """The shipped report.toml's build command, naming the new folder's report.toml rather than inputs/."""
    command = f"jtai-docs build {shell_quoted((folder / 'report.toml').as_posix())}"
    line = f"# Build the report with:   {command}  (from the folder you ran jtai-docs init in)"
    text, count = re.subn(r"(?m)^# Build the report with: .*$", lambda _: line, text)
    if count != 1:
        raise JtaiDocsError(message="the example report.toml shipped with jtai-docs has no single build command line")
    return text


def shell_quoted(path: str | Path) -> str:
    """A path as it is typed in a command: quoted when it holds spaces or other characters the shell reads (a
    OneDrive folder such as "OneDrive - Durham County Council"), as POSIX shells quote it, or in double quotes for
    Windows' command prompt and PowerShell."""
    text = str(path)
    if os.name != "nt":
        return shlex.quote(text)
    return f'"{text}"' if not text or re.search(r'[\s&()^%!;,=\'"`$@{}<>|]', text) else text
