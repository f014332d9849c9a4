"""Compares every corpus document with a seeded edit of itself and prints how faithful each redline is.

    .venv/bin/python scripts/check_corpus.py                 # the whole corpus (a few minutes)
    .venv/bin/python scripts/check_corpus.py --sample        # the CI sample only
    .venv/bin/python scripts/check_corpus.py NAME.docx ...   # chosen documents, with every problem listed

Per document: accept-all of the redline equals NEW, reject-all equals OLD (text of every story read in
reading order, by tests/helpers/corpus_tools.py rather than jtai_docs.revisions), structure kept (notes, comments,
pictures, links, bookmarks, fields, content controls, text boxes, equations, sections), whether a real
difference was reported as "No differences", whether LibreOffice opened the redline, and the time of the
comparison. Then a count of each kind of failure. Exit status 1 when any case fails.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import corpus_tools  # noqa: E402
from jtai_docs import libreoffice, pipeline  # noqa: E402


def failure_kinds(case: corpus_tools.Case, opened: bool | None) -> list[str]:
    """Short names for what went wrong, e.g. 'reject: comments text' or 'accept: body bookmarks'."""
    kinds = []
    if case.error:
        kinds.append("compare failed: " + case.error.split(":")[0])
    for side, problems in (("accept", case.accept_problems), ("reject", case.reject_problems)):
        for problem in problems:
            story = problem.split(":")[0].split(" paragraph")[0].split(" ")[0]
            counted = re.match(r"[^:]+: (.+?) -?\d+, expected", problem)
            if counted and "paragraphs" not in problem:
                what = re.sub(r"picture [0-9a-f]{12}|picture \(.*\)", "picture content", counted.group(1))
            elif "present in only one" in problem:
                what = "story missing"
            else:
                what = "text"
            kinds.append(f"{side}: {story} {what}")
    if case.missed:
        kinds.append('"No differences" for a real change')
    if opened is False:
        kinds.append("LibreOffice could not open the redline")
    return sorted(set(kinds))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("documents", nargs="*", help="corpus file names (default: all in the manifest)")
    parser.add_argument("--sample", action="store_true", help="only the fixed sample that CI runs")
    parser.add_argument("--no-libreoffice", action="store_true", help="skip opening the redlines in LibreOffice")
    parser.add_argument("--kinds", help="only these edit kinds, comma-separated: " + ", ".join(corpus_tools.EDIT_KINDS))
    args = parser.parse_args(argv)

    if args.sample:
        import test_corpus

        names = list(test_corpus.SAMPLE)
    else:
        names = args.documents or [row["file"] for row in corpus_tools.read_manifest()]
    kinds = tuple(k.strip() for k in args.kinds.split(",")) if args.kinds else None
    verbose = bool(args.documents)

    with tempfile.TemporaryDirectory(prefix="check-corpus-") as work:
        cases = []
        for name in names:
            case = corpus_tools.run_case(
                corpus_tools.CORPUS / name, Path(work) / "pairs", compare=pipeline.compare_reports, kinds=kinds
            )
            cases.append(case)
        opened: dict[str, bool | None] = {case.document: None for case in cases}
        if not args.no_libreoffice:
            redlines = [c.redline for c in cases if c.redline is not None and c.redline.exists()]
            texts = corpus_tools.libreoffice_texts(redlines, Path(work) / "lo", soffice=libreoffice.find_soffice())
            for case in cases:
                if case.redline is not None:
                    opened[case.document] = texts.get(case.redline) is not None

    def mark(ok: bool) -> str:
        return "yes" if ok else "NO"

    width = max(len(name) for name in names)
    print(f"{'document':<{width}}  accept  reject  structure  missed  LO   seconds")
    tally: collections.Counter = collections.Counter()
    failed = 0
    for case in cases:
        lo = opened[case.document]
        kinds_found = failure_kinds(case, lo)
        failed += bool(kinds_found)
        tally.update(kinds_found)
        print(
            f"{case.document:<{width}}  {mark(not case.error and not case.accept_problems):<6}  "
            f"{mark(not case.error and not case.reject_problems):<6}  {mark(case.structure_kept):<9}  "
            f"{'MISSED' if case.missed else '-':<6}  {'-' if lo is None else mark(lo):<3}  {case.seconds:7.2f}"
        )
        if verbose:
            print("    edits: " + "; ".join(case.edits))
            for problem in ([case.error] if case.error else []) + case.accept_problems:
                print("    accept: " + problem)
            for problem in case.reject_problems:
                print("    reject: " + problem)
    times = sorted(case.seconds for case in cases)
    print()
    print(
        f"{len(cases) - failed} of {len(cases)} documents exact both ways with nothing lost; "
        f"accept exact {sum(not c.error and not c.accept_problems for c in cases)}, "
        f"reject exact {sum(not c.error and not c.reject_problems for c in cases)}, "
        f'"No differences" misses {sum(c.missed for c in cases)}, '
        f"median comparison {times[len(times) // 2]:.2f} s"
        if times
        else "no documents"
    )
    if tally:
        print("\nfailure kinds (documents affected):")
        for kind, count in tally.most_common():
            print(f"  {count:4}  {kind}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
