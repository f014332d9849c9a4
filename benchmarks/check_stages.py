"""Where the CPU time of `jtai-docs check` goes, stage by stage, for generated plans of any size.

    python benchmarks/check_stages.py [--sizes 1000,10000,100000]

Each size runs in a fresh process, which times, as CPU seconds (time.process_time): importing the
pipeline; reading and checking the workbook; counting Table 1 and making the template's data; checking the
template's tags; filling the template in (with Appendix 2, the whole action plan, as the example report has
it: a row whose key, made from its data, is that of a row already checked takes its findings; the others
are filled in, parsed and checked for accessibility, as check does); the accessibility check of the rest of
the filled-in report. The same steps as pipeline.check_report and check_accessibility, taken one at a time,
with the cycle collector paused as check_report pauses it; the sum is near what a whole `check` process costs
(benchmarks/check_speed.py). Nothing here is a test, and no budget is judged: this says where to cut.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_speed import byte_compile, write_settings  # noqa: E402
from workbooks import make_workbook  # noqa: E402


def stages(settings_path: Path) -> None:
    """Runs in the child process: prints one line per stage, CPU seconds."""
    started = time.process_time()
    from jtai_docs import figures, pipeline, render, settings, workbook
    from jtai_docs.context import build_context

    done = [("import the pipeline", time.process_time() - started)]

    def stage(name: str, since: float) -> float:
        now = time.process_time()
        done.append((name, now - since))
        return now

    gc.disable()  # as check_report pauses the cycle collector while it runs (#11)
    now = time.process_time()
    report = settings.read_settings(settings_path)
    plan, _warnings = workbook.read_workbook(Path(report.workbook))
    now = stage(f"read and check the workbook ({len(plan.actions):,} actions)", now)
    table1 = figures.count_due_actions(plan, report.cutoff)
    context = build_context(settings=report, plan=plan, table1=table1)
    variables = context.variables()
    now = stage("count Table 1, make the template's data", now)
    render.check_template(Path(report.template), variables)
    now = stage("check the template's tags", now)
    data, streamed = render.fill_in_report(
        template_path=Path(report.template),
        variables=variables,
        properties=render.DocumentProperties(title=report.title, author=report.author, date=report.meeting_date),
    )
    now = stage("fill the template in (dry run, rows one by one)", now)
    pipeline.accessibility_of(data, name="report.docx", streamed=streamed)
    stage("accessibility check of the filled-in report", now)
    for name, seconds in done:
        print(f"  {name:<52} {seconds:8.2f} s")
    print(f"  {'total':<52} {sum(seconds for _, seconds in done):8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="numbers of actions, comma-separated")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        stages(options.child)
        return
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="jtai-docs-bench-") as work:
        folder = Path(work)
        for actions in [int(size) for size in options.sizes.split(",")]:
            settings_path = write_settings(folder, make_workbook(folder / f"plan_{actions}.xlsx", actions))
            print(f"check of {actions:,} actions, CPU seconds by stage:", flush=True)
            subprocess.run([sys.executable, __file__, "--child", str(settings_path)], check=True, cwd=folder)


if __name__ == "__main__":
    main()
