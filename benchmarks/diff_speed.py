"""How long `jtai-docs diff` takes on two generated 200-page reports, against the budgets in the README.

    python benchmarks/diff_speed.py                 # 50 scattered edits, and every paragraph changed
    python benchmarks/diff_speed.py --paragraphs 5000 --runs 1
    python benchmarks/diff_speed.py --stages        # where the CPU time of each case goes, stage by stage

Each figure is the median (and min-max) of whole-process runs of `jtai-docs diff OLD NEW -o REDLINE`, so it
includes starting Python. The budget is judged on the process's CPU time (user + system), which a machine busy
with other work does not inflate the way it inflates the wall-clock time printed beside it; on an idle machine
the two are close, since a comparison uses one core. Each verdict line starts with PASS or FAIL, as
benchmarks/run.py collects them. Nothing is timed inside the tests.

Python is let write its compiled modules (PYTHONDONTWRITEBYTECODE is dropped for the measured processes) and
one unmeasured run comes first, so the figures are those of an installed jtai-docs, not of compiling its
source on every start.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

#: Budgets from the README's Performance section, in seconds.
BUDGETS = {"50 scattered edits": 1.0, "every paragraph changed": 3.0}
WORDS = [
    "the",
    "council",
    "partnership",
    "action",
    "plan",
    "review",
    "officer",
    "children",
    "safeguarding",
    "board",
    "meeting",
    "report",
    "progress",
    "timescale",
    "status",
    "theme",
    "update",
    "agreed",
    "members",
    "strategy",
    "health",
    "police",
    "education",
    "schools",
]


def paragraph_text(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def write_report(path: Path, paragraphs: list[str], *, table_every: int) -> None:
    """A report of headings, numbered paragraphs and small tables: about 10 paragraphs a page."""
    document = docx.Document()
    for index, text in enumerate(paragraphs):
        if index % 25 == 0:
            document.add_heading(f"Section {index // 25 + 1}", 1)
        document.add_paragraph(text, style="List Number" if index % 3 else "Normal")
        if index % table_every == table_every - 1:
            table = document.add_table(rows=0, cols=3)
            for row in range(6):
                cells = table.add_row().cells
                for column, cell in enumerate(cells):
                    cell.text = f"{index}-{row}-{column}"
    document.save(str(path))


def versions(folder: Path, *, paragraphs: int, seed: int = 7) -> dict[str, tuple[Path, Path]]:
    rng = random.Random(seed)
    old = [paragraph_text(rng, rng.randint(30, 70)) for _ in range(paragraphs)]
    scattered = list(old)
    for index in rng.sample(range(paragraphs), 50):
        words = scattered[index].split(" ")
        words[rng.randrange(len(words))] = "amended"
        scattered[index] = " ".join(words)
    rewritten = []
    for text in old:
        words = text.split(" ")
        for at in rng.sample(range(len(words)), max(1, len(words) // 6)):
            words[at] = rng.choice(WORDS)
        rewritten.append(" ".join(words) + " Reworded.")
    paths = {}
    table_every = 40
    write_report(folder / "old.docx", old, table_every=table_every)
    for name, texts in (("50 scattered edits", scattered), ("every paragraph changed", rewritten)):
        target = folder / f"{name.replace(' ', '_')}.docx"
        write_report(target, texts, table_every=table_every)
        paths[name] = (folder / "old.docx", target)
    return paths


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_diff(old: Path, new: Path, redline: Path) -> tuple[float, float]:
    """(CPU seconds, wall-clock seconds) of one whole `jtai-docs diff` process."""
    command = [sys.executable, "-m", "jtai_docs", "diff", str(old), str(new), "-o", str(redline)]
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    cpu, start = _children_cpu(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=environment)
    elapsed, used = time.perf_counter() - start, _children_cpu() - cpu
    if result.returncode not in (0, 1):
        raise SystemExit(f"jtai-docs diff failed ({result.returncode}):\n{result.stderr}")
    return used, elapsed


def stages(old: Path, new: Path, redline_path: Path) -> None:
    """Runs in a child process: the CPU seconds of each stage of one `jtai-docs diff OLD NEW -o REDLINE`, the same
    steps as pipeline.compare_reports taken one at a time (no headers or footers in these reports)."""
    started = time.process_time()
    from jtai_docs import cli, compare, display, package, pipeline, redline, wordfile  # noqa: F401 - cli as diff loads it

    # The pipeline loads its stages on first use: loaded here, so that their start is counted as such.
    assert callable(compare.compare_blocks) and callable(redline.write_redline)
    done = [("import the command line, pipeline and stages (after Python's start)", time.process_time() - started)]

    def stage(name: str, since: float) -> float:
        now = time.process_time()
        done.append((name, now - since))
        return now

    now = time.process_time()
    old_document, new_document = wordfile.open_document(old), wordfile.open_document(new)
    now = stage("open both versions (python-docx parses their parts)", now)
    pipeline._refuse_existing_revisions({old: old_document, new: new_document})
    now = stage("look for tracked changes already in them", now)
    old_blocks, new_blocks = wordfile.read_body(old_document), wordfile.read_body(new_document)
    now = stage("read both bodies (text, list numbers, styles, objects)", now)
    steps, changes = compare.compare_blocks(old_blocks, new_blocks)
    changes += compare.formatting_changes(steps)
    now = stage("align and compare, list the changes", now)
    when = wordfile.stated_date(new_document) or pipeline.UNDATED
    data = redline.write_redline(
        new_document=new_document, steps=steps, author="jtai-docs", date=when, old_document=old_document
    )
    now = stage("write the redline (tracked changes, packed)", now)
    package.verify_report(data)
    now = stage("check the redline (reopened, every part parsed)", now)
    display.format_changes(changes, old=old.name, new=new.name)
    redline_path.write_bytes(data)
    stage("print the summary, save the redline", now)
    for name, seconds in done:
        print(f"  {name:<68} {seconds:6.3f} s")
    print(f"  {'total':<68} {sum(seconds for _, seconds in done):6.3f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2000, help="paragraphs per report (2000 is about 200 pages)")
    parser.add_argument("--runs", type=int, default=3, help="whole-process runs per case")
    parser.add_argument("--stages", action="store_true", help="print the CPU time of each stage instead (one run)")
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        stages(*args.child)
        return 0
    failed = False
    # CPU time too grows when other work shares the processors (caches, a core's second thread): said beside it.
    print("load average at the start: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="jtai-docs-diff-speed-") as folder:
        cases = versions(Path(folder), paragraphs=args.paragraphs)
        for name, (old, new) in cases.items():
            if args.stages:
                print(f"diff, {args.paragraphs} paragraphs, {name}: CPU seconds by stage", flush=True)
                command = [sys.executable, __file__, "--child", str(old), str(new), str(Path(folder) / "r.docx")]
                environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
                subprocess.run(command, check=True, env=environment)
                continue
            time_diff(old, new, Path(folder) / "redline.docx")  # unmeasured: compiles what a first start compiles
            runs = [time_diff(old, new, Path(folder) / "redline.docx") for _ in range(args.runs)]
            cpu, wall = [run[0] for run in runs], [run[1] for run in runs]
            median = statistics.median(cpu)
            verdict = "PASS" if median <= BUDGETS[name] else "FAIL"
            failed |= verdict == "FAIL"
            print(
                f"{verdict}  diff, {args.paragraphs} paragraphs, {name}: median {median:.2f} s CPU "
                f"(min {min(cpu):.2f}, max {max(cpu):.2f}; wall median {statistics.median(wall):.2f} s, "
                f"min {min(wall):.2f}, max {max(wall):.2f}), budget {BUDGETS[name]:.1f} s"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
