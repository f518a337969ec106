"""``python -m bench`` (``make bench``): measure (bench/measure.py), then write docs/performance.md (bench/report.py).

Takes bench/measure.py's options; with ``--strict`` it exits 1 when a budget
fails, after writing the report either way.
"""
import os
import sys

from bench import measure, report

args = measure.parser().parse_args()
command = os.environ.get("LIFELOGGER_BENCH_COMMAND") or "python -m bench " + " ".join(sys.argv[1:])
results = measure.run(args, command.strip())
report.write(results, report.MARKDOWN)
print(f"Wrote {report.MARKDOWN.relative_to(report.ROOT)}")
sys.exit(1 if args.strict and measure.failed(results) else 0)
