"""How fast jtai-docs is, each figure beside a reference measured in the same run, with PASS or FAIL per budget.

    python benchmarks/run.py [--repeat 5] [--sizes 1000,10000,100000] [--skip-pdf] [--parts abcde]

Every figure is a whole process (python start-up and imports included), run --repeat times: the median and
the min-max of the wall-clock time, the median CPU time (user + system, of the process and what it waited
for) and the peak memory of the process. On a shared machine the wall-clock time includes waiting for a
processor, so the budgets are judged on CPU time, except the batch with PDF, whose point is the wall-clock
time saved by working in parallel. The package is byte-compiled first, as pip does when it installs it.
The references are `python -c "import docxtpl, openpyxl, click"` (the least any build can cost) and
benchmarks/naive_build.py (the obvious script: openpyxl load, count, docxtpl render, save).
The budgets are those of the README's Performance section. Nothing here is a test.

Builds keep what they work out from the template in a cache folder (jtai_docs/cache.py); every run here uses one of
its own (JTAI_DOCS_CACHE). Part (a) measures the build both ways: cold, the cache emptied before each run (a
template built for the first time), and warm, from the entries the runs before left (the rebuild officers do
after status changes), on which its budgets are judged.
"""

from __future__ import annotations

import argparse
import compileall
import importlib
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
PYTHON = sys.executable
JTAI_DOCS = [PYTHON, "-m", "jtai_docs"]
IMPORT_REFERENCE = [PYTHON, "-c", "import docxtpl, openpyxl, click"]
verdicts: list[tuple[str, bool]] = []


@dataclass(frozen=True)
class Timing:
    """Repeated runs of one command."""

    seconds: list[float]
    cpu_seconds: list[float]
    peak_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_seconds)

    def __str__(self) -> str:
        return (
            f"{self.median * 1000:9.0f} ms  ({min(self.seconds) * 1000:.0f}-{max(self.seconds) * 1000:.0f}), "
            f"CPU {self.cpu * 1000:.0f} ms, peak {self.peak_mb:.0f} MB"
        )


def run_once(command: list[str], *, cwd: Path, expect: int | None = 0, empty: Path | None = None) -> Timing:
    """Wall time, CPU time and peak resident memory of one run of the command, as a whole process; empty is a
    folder removed before the run (the cache, for a cold build)."""
    if empty is not None:
        shutil.rmtree(empty, ignore_errors=True)
    start = time.perf_counter()
    # Standard error goes to a file: a pipe read only after the process ends would block a process that
    # writes more than the pipe holds (a batch's warnings), and the run would never end.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        error = errors.read().decode(errors="replace")
    if expect is not None and process.returncode != expect:
        raise SystemExit(f"{' '.join(map(str, command))} exited {process.returncode}:\n{error}")
    # ru_maxrss is in kilobytes on Linux
    return Timing([seconds], [usage.ru_utime + usage.ru_stime], usage.ru_maxrss / 1024)


def joined(runs: list[Timing]) -> Timing:
    return Timing(
        [s for run in runs for s in run.seconds],
        [c for run in runs for c in run.cpu_seconds],
        max(r.peak_mb for r in runs),
    )


def measure(command: list[str], *, repeat: int, cwd: Path, expect: int | None = 0, empty: Path | None = None) -> Timing:
    """The command run repeat times, one after another."""
    return joined([run_once(command, cwd=cwd, expect=expect, empty=empty) for _ in range(repeat)])


def measure_together(
    commands: dict[str, tuple[list[str], Path | None]], *, repeat: int, cwd: Path
) -> dict[str, Timing]:
    """Commands compared with each other, run in rounds (one run of each per round, after one round not counted
    that fills the disk cache), so a change in the shared machine's speed while they run falls on all alike
    rather than on whichever ran in the slow minute."""
    for command, empty in commands.values():
        run_once(command, cwd=cwd, empty=empty)
    rounds: dict[str, list[Timing]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (command, empty) in commands.items():
            rounds[name].append(run_once(command, cwd=cwd, empty=empty))
    return {name: joined(runs) for name, runs in rounds.items()}


def ratio(timing: Timing, reference: Timing) -> float:
    """The median of the CPU-time ratios round by round: each run is set against the reference's run in the same
    round, a minute apart at most, so the machine's drift between rounds cancels out."""
    return statistics.median(a / b for a, b in zip(timing.cpu_seconds, reference.cpu_seconds, strict=True))


def show(name: str, timing: Timing) -> None:
    print(f"  {name:<52} {timing}")


def budget(name: str, ok: bool, detail: str) -> None:
    verdicts.append((name, ok))
    print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")


def copy_project(work: Path) -> Path:
    for folder in ("inputs", "templates"):
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return work / "inputs" / "report.toml"


def section_build(work: Path, repeat: int) -> None:
    print("\n(a) default build, against the import reference and the naive script")
    report = work / "inputs" / "report.toml"
    command = [*JTAI_DOCS, "build", "--force", str(report)]
    naive_command = [PYTHON, str(BENCHMARKS / "naive_build.py"), str(report), str(work / "naive.docx")]
    found = measure_together(
        {
            "imports": (IMPORT_REFERENCE, None),
            "naive": (naive_command, None),
            "cold": (command, Path(os.environ["JTAI_DOCS_CACHE"])),
            "warm": (command, None),
        },
        repeat=repeat,
        cwd=work,
    )
    imports, naive, cold, build = found["imports"], found["naive"], found["cold"], found["warm"]
    show('python -c "import docxtpl, openpyxl, click"', imports)
    show("benchmarks/naive_build.py", naive)
    show("jtai-docs build, cold (empty template cache)", cold)
    show("jtai-docs build, warm (the template built before)", build)
    print(
        f"  cold: {ratio(cold, naive):.2f}x the naive script, {ratio(cold, imports):.2f}x the import reference "
        "(CPU time; shown, not judged)"
    )
    budget(
        "warm build <= 0.8x naive script",
        ratio(build, naive) <= 0.8,
        f"{ratio(build, naive):.2f}x CPU time ({build.median / naive.median:.2f}x wall)",
    )
    budget(
        "warm build <= 1.2x import reference",
        ratio(build, imports) <= 1.2,
        f"{ratio(build, imports):.2f}x CPU time ({build.median / imports.median:.2f}x wall)",
    )


def section_help_check(work: Path, repeat: int) -> None:
    print("\n(b) --help and check, against the import reference")
    report = work / "inputs" / "report.toml"
    found = measure_together(
        {
            "imports": (IMPORT_REFERENCE, None),
            "help": ([*JTAI_DOCS, "--help"], None),
            "check": ([*JTAI_DOCS, "check", str(report)], None),
        },
        repeat=repeat,
        cwd=work,
    )
    imports, help_timing, check = found["imports"], found["help"], found["check"]
    show('python -c "import docxtpl, openpyxl, click"', imports)
    show("jtai-docs --help", help_timing)
    show("jtai-docs check", check)
    budget(
        "--help <= 0.5x import reference",
        ratio(help_timing, imports) <= 0.5,
        f"{ratio(help_timing, imports):.2f}x CPU time ({help_timing.median / imports.median:.2f}x wall)",
    )


def optional_module(name: str):
    """A helper module of benchmarks/ written elsewhere, or None with a note when it is not there yet."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        print(f"  (skipped: benchmarks/{name}.py is not there yet)")
        return None


def section_sizes(work: Path, repeat: int, sizes: list[int]) -> None:
    print("\n(c) generated workbooks: check and build, per action")
    workbooks = optional_module("workbooks")
    if workbooks is None:
        return
    report = work / "inputs" / "report.toml"
    per_action: dict[str, dict[int, float]] = {"check": {}, "build": {}}
    for size in sizes:
        plan = work / f"plan-{size}.xlsx"
        workbooks.make_workbook(plan, size, seed=0)
        settings = work / "inputs" / f"report-{size}.toml"
        text = report.read_text(encoding="utf-8")
        text = re.sub(r"(?m)^workbook = .*$", f'workbook = "{plan.as_posix()}"', text)
        text = re.sub(r"(?m)^output = .*$", f'output = "{(work / "outputs" / f"report-{size}.docx").as_posix()}"', text)
        settings.write_text(text, encoding="utf-8")
        runs = max(1, repeat if size <= 1000 else repeat // 2 if size <= 10000 else 1)
        for command in ("check", "build"):
            extra = ["--force"] if command == "build" else []
            timing = measure([*JTAI_DOCS, command, *extra, str(settings)], repeat=runs, cwd=work, expect=None)
            per_action[command][size] = timing.cpu / size
            show(f"{command} {size:,} actions ({timing.cpu / size * 1e6:.0f} µs CPU/action)", timing)
            if command == "check" and size == 10000:
                budget(
                    "check 10,000 actions <= 1 s",
                    timing.cpu <= 1,
                    f"{timing.cpu:.2f} s CPU ({timing.median:.2f} s wall)",
                )
            if command == "check" and size == 100000:
                budget(
                    "check 100,000 actions <= 4 s",
                    timing.cpu <= 4,
                    f"{timing.cpu:.2f} s CPU ({timing.median:.2f} s wall)",
                )
                budget("check 100,000 actions <= 500 MB", timing.peak_mb <= 500, f"{timing.peak_mb:.0f} MB")
    for command, costs in per_action.items():
        if 10000 in costs and 100000 in costs:
            growth = costs[100000] / costs[10000]
            budget(f"{command}: cost per action at 100,000 <= 1.5x at 10,000", growth <= 1.5, f"{growth:.2f}x")


def section_diff() -> None:
    print("\n(d) diff of two generated 200-page reports")
    script = BENCHMARKS / "diff_speed.py"
    if not script.is_file():
        print("  (skipped: benchmarks/diff_speed.py is not there yet)")
        return
    # diff_speed.py measures and judges its own cases; its lines are shown as they are.
    completed = subprocess.run([PYTHON, str(script)], capture_output=True, text=True, cwd=ROOT)
    for line in (completed.stdout + completed.stderr).splitlines():
        print(f"  {line}")
        if re.match(r"\s*(PASS|FAIL)\b", line):
            verdicts.append((line.strip(), line.strip().startswith("PASS")))


def section_batch(work: Path, count: int, skip_pdf: bool) -> None:
    print(f"\n(e) {count} reports (the example plan at {count} cutoffs): one command against separate runs")
    folder = work / "batch"
    reports = []
    for index in range(count):
        subprocess.run([*JTAI_DOCS, "init", str(folder / f"r{index:02d}")], check=True, capture_output=True)
        report = folder / f"r{index:02d}" / "report.toml"
        text = report.read_text(encoding="utf-8")
        # The same plan at a cutoff 11 days later each time, from its first timescales to the last cutoff it
        # can be reported at (from February 2019 actions marked 'Not yet due' are due, which is an error).
        cutoff = (date(2018, 6, 28) + timedelta(days=11 * index)).isoformat()
        report.write_text(re.sub(r"(?m)^cutoff = .*$", f"cutoff = {cutoff}", text), encoding="utf-8")
        reports.append(report)
    docx = measure([*JTAI_DOCS, "build", "--force", str(folder)], repeat=1, cwd=work)
    show(f"one command, {count} reports, docx only", docx)
    separate_docx = [measure([*JTAI_DOCS, "build", "--force", str(r)], repeat=1, cwd=work) for r in reports]
    print(
        f"  {f'{count} separate builds, docx only':<52} {sum(t.median for t in separate_docx) * 1000:9.0f} ms, "
        f"CPU {sum(t.cpu for t in separate_docx) * 1000:.0f} ms"
    )
    if skip_pdf:
        print("  (PDF runs skipped: --skip-pdf)")
        return
    # The load average beside each: on a shared machine the wall time counts the waits for a processor, and the
    # one command (several processes at once) and the separate runs (one at a time) do not wait alike.
    # In three rounds, each the one command once and a third of the separate runs: the one command's figure is
    # the median of its three runs, and a minute of a slow machine falls on both sides rather than on one run.
    load = os.getloadavg()[0]
    batch = [*JTAI_DOCS, "build", "--force", "--pdf", str(folder)]
    ones, separate_runs = [], []
    for share in (reports[0::3], reports[1::3], reports[2::3]):
        ones.append(run_once(batch, cwd=work))
        separate_runs += [run_once([*JTAI_DOCS, "build", "--force", "--pdf", str(r)], cwd=work) for r in share]
    one = joined(ones)
    separate, separate_cpu = sum(t.median for t in separate_runs), sum(t.cpu for t in separate_runs)
    show(f"one command, {count} reports with PDF, 3 runs (load {load:.1f})", one)
    print(
        f"  {f'{count} separate builds with PDF (load {load:.1f}-{os.getloadavg()[0]:.1f})':<52} "
        f"{separate * 1000:9.0f} ms, CPU {separate_cpu * 1000:.0f} ms"
    )
    budget(
        f"{count} reports with PDF in one command >= 5x faster than separate runs",
        separate >= 5 * one.median,
        f"{separate / one.median:.1f}x faster wall-clock ({separate_cpu / one.cpu:.1f}x less CPU time)",
    )


def byte_compile() -> None:
    """Compiles the package's modules once, as pip does when it installs it: with PYTHONDONTWRITEBYTECODE set
    (or an editable install in a read-only folder) every run would otherwise compile them again."""
    spec = importlib.util.find_spec("jtai_docs")
    for folder in spec.submodule_search_locations or [] if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each small command (default 5)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="actions in the generated workbooks")
    parser.add_argument("--reports", type=int, default=20, help="reports in the batch comparison (default 20)")
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF batch (needs LibreOffice)")
    parser.add_argument(
        "--parts", default="abcde", help="the parts to run: a build, b --help and check, c sizes, d diff, e batch"
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size]
    byte_compile()
    print(
        f"jtai-docs benchmarks on {os.cpu_count()} core(s), Python {sys.version.split()[0]}; "
        f"median (min-max) of whole-process runs, median CPU time; load average {os.getloadavg()[0]:.1f} at start"
    )
    with tempfile.TemporaryDirectory(prefix="jtai-docs-bench-") as folder:
        work = Path(folder)
        os.environ["JTAI_DOCS_CACHE"] = str(work / "cache")  # never the user's own cache folder
        parts = options.parts
        copy_project(work)
        if "a" in parts:
            section_build(work, options.repeat)
        if "b" in parts:
            section_help_check(work, options.repeat)
        if "c" in parts:
            section_sizes(work, options.repeat, sizes)
        if "d" in parts:
            section_diff()
        if "e" in parts:
            section_batch(work, options.reports, options.skip_pdf)
    failed = [name for name, ok in verdicts if not ok]
    print(
        f"\n{len(verdicts) - len(failed)} of {len(verdicts)} budgets met"
        + (f"; FAIL: {'; '.join(failed)}" if failed else "")
    )


if __name__ == "__main__":
    main()
