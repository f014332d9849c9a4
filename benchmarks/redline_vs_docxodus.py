"""jtai-docs' redline side by side with python-redlines' Docxodus engine, on the same real document pairs.

    .venv/bin/pip install -e '.[test,bench]'              # python-redlines with its Docxodus binary
    .venv/bin/python benchmarks/redline_vs_docxodus.py    # the corpus sample CI uses
    .venv/bin/python benchmarks/redline_vs_docxodus.py --all

Each pair is a corpus document (its own tracked changes accepted) and a seeded edit of it, made by
tests/helpers/corpus_tools.py. For each engine and pair it prints: accept-all of the redline equals NEW and
reject-all equals OLD (read by corpus_tools, independently of both engines), the number of schema errors
openxml-audit finds in the redline, and the time taken; then the medians and how many pairs each engine
got exact. It installs nothing itself: without python-redlines it says how to install it and stops.

With --added it runs jtai-docs alone and lists, for each pair, the schema errors in the redline that NEW
does not have itself (errors compared by part, element and message, as a multiset), then how many pairs
have any.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers import corpus_tools  # noqa: E402
from jtai_docs import pipeline  # noqa: E402


def schema_errors(path: Path) -> int:
    return len(error_list(path))


def error_list(path: Path) -> list[tuple[str, str, str]]:
    """The schema errors openxml-audit finds in a document, each as (part, element, message)."""
    from openxml_audit import OpenXmlValidator

    errors = OpenXmlValidator(max_errors=1000).validate(str(path)).errors
    return [(error.part_uri, error.node or "", error.description) for error in errors]


def added_errors(redline: Path, new: Path) -> list[tuple[str, str, str]]:
    """The errors in the redline beyond those NEW has itself."""
    return sorted((collections.Counter(error_list(redline)) - collections.Counter(error_list(new))).elements())


def seeded_pairs(names: list[str], work: Path):
    """For each corpus document, (name, OLD, NEW): OLD its text with its own tracked changes accepted, NEW OLD
    edited in the places the document's seed picks, as the corpus test edits it."""
    for name in names:
        source = corpus_tools.CORPUS / name
        old = corpus_tools.accept_existing(source, work / f"{source.stem}.old.docx")
        new = work / f"{source.stem}.new.docx"
        corpus_tools.edit_document(old, new, seed=corpus_tools.seed_for(name))
        yield name, old, new


def list_added(names: list[str]) -> int:
    """Per pair, the schema errors a jtai-docs redline adds to NEW's own."""
    with_added = 0
    with tempfile.TemporaryDirectory(prefix="bench-added-") as work:
        for name, old, new in seeded_pairs(names, Path(work)):
            target = new.with_name(new.name.replace(".new.docx", ".redline.docx"))
            pipeline.compare_reports(old, new, redline_path=target)
            added = added_errors(target, new)
            if added:
                with_added += 1
                print(f"{name}: {len(added)} added")
                for part, node, message in added:
                    print(f"    {part} {node}: {message[:300]}")
    print(f"\nredlines adding schema errors to NEW's own: {with_added} of {len(names)}")
    return 0


def run_docxodus(engine, old: Path, new: Path, target: Path) -> None:
    data, _, _ = engine.run_redline("Reviewer", str(old), str(new))
    target.write_bytes(data)


def pick(args: argparse.Namespace) -> list[str]:
    """The corpus documents asked for: all of them, those named, or the CI sample."""
    import test_corpus

    if args.all:
        return [row["file"] for row in corpus_tools.read_manifest()]
    return args.documents or list(test_corpus.SAMPLE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("documents", nargs="*", help="corpus file names (default: the CI sample)")
    parser.add_argument("--all", action="store_true", help="every document in the corpus")
    parser.add_argument("--added", action="store_true", help="list the schema errors jtai-docs adds to NEW's own")
    args = parser.parse_args(argv)
    if args.added:
        return list_added(pick(args))
    try:
        from python_redlines import DocxodusEngine

        engine = DocxodusEngine()
    except ImportError as exc:
        print(
            f"python-redlines with its Docxodus engine is not installed ({exc}).\n"
            "Install it with: .venv/bin/pip install -e '.[bench]'"
        )
        return 2

    names = pick(args)
    width = max(len(name) for name in names)
    print(f"{'document':<{width}}  {'engine':<9} accept  reject  schema errors  seconds")
    results: dict[str, list[tuple[bool, bool, int, float]]] = {"jtai-docs": [], "Docxodus": []}
    with tempfile.TemporaryDirectory(prefix="bench-redline-") as work:
        work_path = Path(work)
        for name, old, new in seeded_pairs(names, work_path):
            source = corpus_tools.CORPUS / name
            want_new, want_old = corpus_tools.read_version(new), corpus_tools.read_version(old)
            for label, run in (
                ("jtai-docs", lambda o, n, t: pipeline.compare_reports(o, n, redline_path=t)),
                ("Docxodus", lambda o, n, t: run_docxodus(engine, o, n, t)),
            ):
                target = work_path / f"{source.stem}.{label}.docx"
                started = time.perf_counter()
                try:
                    run(old, new, target)
                    failed = ""
                except Exception as exc:  # noqa: BLE001 - a failing engine is a result, not the end of the run
                    failed = f"{type(exc).__name__}: {str(exc)[:120]}"
                seconds = time.perf_counter() - started
                if failed:
                    print(f"{name:<{width}}  {label:<9} failed: {failed}")
                    results[label].append((False, False, -1, seconds))
                    continue
                accept = not corpus_tools.differences(corpus_tools.read_version(target, mode="accept"), want_new)
                reject = not corpus_tools.differences(corpus_tools.read_version(target, mode="reject"), want_old)
                errors = schema_errors(target)
                results[label].append((accept, reject, errors, seconds))
                print(
                    f"{name:<{width}}  {label:<9} {'yes' if accept else 'NO':<6}  {'yes' if reject else 'NO':<6}  "
                    f"{errors:>13}  {seconds:7.2f}"
                )
    print()
    for label, rows in results.items():
        if not rows:
            continue
        print(
            f"{label:<9}: exact both ways {sum(a and r for a, r, _, _ in rows)} of {len(rows)}, "
            f"accept {sum(a for a, _, _, _ in rows)}, reject {sum(r for _, r, _, _ in rows)}, "
            f"schema-valid {sum(e == 0 for _, _, e, _ in rows)}, "
            f"median {statistics.median(s for _, _, _, s in rows):.2f} s"
        )
    ours, theirs = results["jtai-docs"], results["Docxodus"]
    if ours and theirs:
        ratio = statistics.median(s for *_, s in theirs) / max(statistics.median(s for *_, s in ours), 1e-9)
        print(f"median speed-up of jtai-docs over Docxodus: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
