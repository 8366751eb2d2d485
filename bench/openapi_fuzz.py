"""The long schemathesis run over every API operation (issue 23, point 6).

`make test` runs tests/test_openapi_fuzz.py with a few examples per
operation; this runs the same test with many (OPENAPI_FUZZ_EXAMPLES, default
150 positive and 150 negative per operation), on a fresh test database,
and prints how long it took and whether any check failed. The goal: 0
failures. The bounded run's time is measured in the same run as the ratio.

Run alone: .venv/bin/python bench/openapi_fuzz.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/test_openapi_fuzz.py"


def run(examples: int) -> tuple[float, int, str]:
    # A test database of its own, so a test run beside it is not disturbed.
    var = tempfile.mkdtemp(prefix="openapi-fuzz-")
    env = {**os.environ, "OPENAPI_FUZZ_EXAMPLES": str(examples), "TRUNKSHOW_VAR_DIR": var}
    subprocess.run(  # the API names hashed static files (quiz pictures)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-p", "no:cacheprovider", "-q"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - start
    shutil.rmtree(var, ignore_errors=True)
    return took, done.returncode, done.stdout[-3000:]


def main() -> int:
    examples = int(os.environ.get("OPENAPI_FUZZ_EXAMPLES", "150"))
    short, short_rc, _ = run(12)
    took, rc, output = run(examples)
    print(f"bounded run (12 examples per operation and mode)  {short:6.1f} s  "
          f"{'0 failures' if short_rc == 0 else 'FAILED'}")  # fmt: skip
    print(f"long run ({examples} examples per operation and mode)  {took:6.1f} s  "
          f"{'0 failures' if rc == 0 else 'FAILED'}")  # fmt: skip
    print(f"ratio long/bounded {took / short:.1f}x")
    if rc != 0:
        print(output)
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
