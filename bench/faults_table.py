"""The fault-and-abuse table of issue 12, measured with the test suite: each test case
(each parameter, each backend) is a case tried; held if it passes.

    python bench/faults_table.py

Runs pytest on the files of each category and prints a Markdown table. bench/crash_check.py
adds kill -9 and two-writer cases on the real articles of the shared corpus.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = [
    ("bad inputs (each between two good files)",
     ["tests/test_faults.py", "tests/test_linear.py"], None),
    ("`kill -9` mid-ingest, then the same ingest again", ["tests/test_crashes.py"], None),
    ("two writers at once", ["tests/test_concurrency.py"], None),
    ("web security", ["tests/test_web_security.py", "tests/test_web_timeouts.py",
                      "tests/test_web_fuzz.py"], None),
    ("upgrades and versions", ["tests/test_store.py"],
     "migrat or older or newer or cannot_read or before_the_marks or earlier_text or "
     "never_creates or version"),
]


def run(files: list[str], keyword: str | None) -> tuple[int, int, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               f"--junitxml={report}", *files] + (["-k", keyword] if keyword else [])
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        held, failed, names = 0, 0, []
        for case in ET.parse(report).getroot().iter("testcase"):
            if case.find("skipped") is not None:
                continue
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
                names.append(case.get("name", ""))
            else:
                held += 1
        return held, failed, names


def main() -> None:
    print("| category | cases tried | held | failed |\n| --- | --- | --- | --- |")
    failures = []
    for name, files, keyword in CATEGORIES:
        held, failed, names = run(files, keyword)
        failures += names
        print(f"| {name} | {held + failed} | {held} | {failed} |")
    for n in failures:
        print(f"failed: {n}")


if __name__ == "__main__":
    main()
