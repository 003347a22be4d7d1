"""whizbang-schema against SQLAlchemy Core, side by side, in one run: writes RESULTS.md.

    python benchmarks/run.py            # everything (about ten minutes), writes RESULTS.md
    python benchmarks/run.py --quick    # a fast smoke run, smaller sizes and fewer repeats
    python benchmarks/run.py --only render,startup --output partial.md

Needs the ``bench`` extra (``pip install -e '.[bench]'``: SQLAlchemy and psycopg) and, for
the apply section, PostgreSQL (``WHIZBANG_BENCH_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/postgres``; it creates and drops scratch databases).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:  # the helper modules sit beside this script
    sys.path.insert(0, HERE)

import bench_apply  # noqa: E402
import bench_introspect  # noqa: E402
import bench_render  # noqa: E402
import bench_schema  # noqa: E402
import bench_startup  # noqa: E402
import bench_testdb  # noqa: E402
import report  # noqa: E402

SECTIONS = {
    "render": bench_render.run,
    "schema": bench_schema.run,
    "startup": bench_startup.run,
    "apply": bench_apply.run,
    "introspect": bench_introspect.run,
    "testdb": bench_testdb.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few repeats")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {', '.join(SECTIONS)})",
    )
    parser.add_argument(
        "--output",
        default=os.path.join(HERE, "RESULTS.md"),
        help="where to write the Markdown results (default: benchmarks/RESULTS.md)",
    )
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}; sections: {', '.join(SECTIONS)}")
    context = report.environment(quick=args.quick)
    results = {}
    for section in chosen:
        started = time.perf_counter()
        print(f"-- {section} ...", file=sys.stderr, flush=True)
        results[section] = SECTIONS[section](quick=args.quick)
        print(f"   {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    text = report.markdown(context, results)
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    print(text)
    print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
