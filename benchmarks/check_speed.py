"""How fast `jtai-docs check` reads plans of 1,000 / 10,000 / 100,000 actions, against the budgets.

Each figure is a whole process (`jtai-docs check report.toml`), run several times: the median time and its
min-max, the median CPU time (user + system), the peak memory of the process, and the cost per action (median
CPU time / actions), so growth shows. The budgets are judged on CPU time: on a shared machine the wall-clock
time also counts the waits for a processor. The package is byte-compiled first, as pip does when installing.
Budgets (issue 11): 10,000 actions in at most 1 s; 100,000 in at most 4 s and 500 MB; the cost per action at
100,000 at most 1.5x that at 10,000. A second workbook of each size with planted mistakes (a hidden row, a
formula without a saved result, merged cells, a reference used twice) must give exactly located messages.

    python benchmarks/check_speed.py [--runs 3] [--sizes 1000,10000,100000] [--without-appendix]

The report's settings are the example's, so check fills in Appendix 2 (the whole action plan) in its dry
run and checks its accessibility, as build does; --without-appendix sets `action_plan = false`, which
leaves reading and checking the workbook and the rest of the report.

Exits 1 when any budget is missed or any message is wrong.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbooks import fault_rows, make_workbook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
#: (actions, most seconds, most MB): None means no budget at that size.
BUDGETS = {1_000: (None, None), 10_000: (1.0, None), 100_000: (4.0, 500)}
GROWTH = 1.5


def jtai_docs() -> list[str]:
    """The installed command, run as an officer runs it."""
    script = Path(sys.executable).with_name("jtai-docs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jtai_docs"]


def write_settings(folder: Path, plan: Path, *, appendix: bool = True) -> Path:
    text = (ROOT / "inputs" / "report.toml").read_text(encoding="utf-8")
    text = text.replace(
        'template = "../templates/committee_report.docx"',
        f'template = "{(ROOT / "templates" / "committee_report.docx").as_posix()}"',
    )
    text = text.replace('workbook = "action_plan.xlsx"', f'workbook = "{plan.as_posix()}"')
    text = text.replace('output = "../outputs/committee_report.docx"', 'output = "out/report.docx"')
    if not appendix:
        text = text.replace("action_plan = true", "action_plan = false")
    settings = folder / f"{plan.stem}.toml"
    settings.write_text(text, encoding="utf-8")
    return settings


def run_once(settings: Path) -> tuple[float, float, int, str, str, float]:
    """Seconds, peak MB, exit status, stdout, stderr and CPU seconds of one whole `jtai-docs check` process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            jtai_docs() + ["check", str(settings)], stdout=out, stderr=err, stdin=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        return (
            elapsed,
            usage.ru_maxrss / 1024,
            process.returncode,
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
            usage.ru_utime + usage.ru_stime,
        )


def expected_messages(name: str, actions: int) -> list[str]:
    hidden, formula, merged, duplicate = fault_rows(actions)
    return [
        f"Error: {name}, 'Action Plan'!C{merged}:C{merged + 1}: merged cells inside the table",
        f"Error: {name}, 'Action Plan'!D{formula} (Lead): the cell's formula has no saved result",
        f"Error: {name}, 'Action Plan'!A{duplicate} (Ref): this reference is also used at",
        f"Warning: {name}, sheet 'Action Plan': 1 hidden row is counted like any other: row {hidden};",
    ]


def byte_compile() -> None:
    """Compiles the package's modules once, as pip does when it installs it: with PYTHONDONTWRITEBYTECODE set
    every run would otherwise compile them again."""
    spec = importlib.util.find_spec("jtai_docs")
    for folder in spec.submodule_search_locations or [] if spec else []:
        compileall.compile_dir(folder, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="whole-process runs per size (default 3)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of actions, comma-separated")
    parser.add_argument(
        "--without-appendix", action="store_true", help="set action_plan = false: no Appendix 2 in the dry run"
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    failed = False
    costs: dict[int, float] = {}
    byte_compile()
    print(
        f"jtai-docs check, {options.runs} whole-process runs per size, on {os.cpu_count()} cores "
        f"(load average {os.getloadavg()[0]:.1f} at start), "
        + ("without Appendix 2" if options.without_appendix else "with Appendix 2 (the whole action plan)")
    )
    # CPU seconds are shown beside the wall-clock ones: on a busy machine they say what the work itself cost.
    print(
        f"{'actions':>9}  {'median s':>9}  {'min-max s':>13}  {'CPU s':>6}  {'peak MB':>8}  {'CPU µs/action':>14}  "
        "budget"
    )
    with tempfile.TemporaryDirectory(prefix="jtai-docs-bench-") as work:
        folder = Path(work)
        for actions in sizes:
            plan = make_workbook(folder / f"plan_{actions}.xlsx", actions)
            settings = write_settings(folder, plan, appendix=not options.without_appendix)
            runs = [run_once(settings) for _ in range(options.runs)]
            for _, _, code, stdout, stderr, _ in runs:
                if code != 0 or not stdout.endswith("No errors found: the report can be built.\n"):
                    print(f"FAIL: check of {actions:,} actions did not pass (exit {code}): {stderr[-500:]}")
                    failed = True
            times = [run[0] for run in runs]
            median, peak = statistics.median(times), max(run[1] for run in runs)
            cpu = statistics.median(run[5] for run in runs)
            costs[actions] = cpu / actions
            seconds_budget, memory_budget = BUDGETS.get(actions, (None, None))
            verdicts = []
            if seconds_budget is not None:
                verdicts.append(f"{'PASS' if cpu <= seconds_budget else 'FAIL'} CPU time <= {seconds_budget} s")
            if memory_budget is not None:
                verdicts.append(f"{'PASS' if peak <= memory_budget else 'FAIL'} memory <= {memory_budget} MB")
            failed |= any(v.startswith("FAIL") for v in verdicts)
            print(
                f"{actions:>9,}  {median:>9.2f}  {min(times):>6.2f}-{max(times):<6.2f}  {cpu:>6.2f}  {peak:>8.0f}  "
                f"{costs[actions] * 1e6:>14.1f}  {'; '.join(verdicts) or '-'}"
            )

            faulty = folder / f"faulty_{actions}.xlsx"
            make_workbook(faulty, actions, faults=True)
            _, _, code, _, stderr, _ = run_once(write_settings(folder, faulty))
            lines = stderr.splitlines()
            missing = [
                want
                for want in expected_messages(faulty.name, actions)
                if not any(line.startswith(want) for line in lines)
            ]
            exact = code == 1 and not missing
            failed |= not exact
            print(
                f"{'':>9}  planted mistakes at {actions:,}: {'PASS' if exact else 'FAIL'} every message located "
                f"exactly" + ("" if exact else f" (exit {code}; missing {missing})")
            )
    if 10_000 in costs and 100_000 in costs:
        growth = costs[100_000] / costs[10_000]
        verdict = "PASS" if growth <= GROWTH else "FAIL"
        failed |= verdict == "FAIL"
        print(f"growth: cost per action at 100,000 is {growth:.2f}x that at 10,000: {verdict} (budget {GROWTH}x)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
