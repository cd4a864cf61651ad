"""Shared test helpers (import as ``from helpers import ...``): repository paths and a
subprocess runner for the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"
TERMS = ROOT / "terms.csv"
SMALL = DATA / "glossaries" / "small.csv"


def run_cli(*args: str, cwd: str | os.PathLike[str] | None = None,
            stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m glossary ARGS`` as a user would, capturing text output."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="120", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args], cwd=cwd or ROOT, input=stdin,
        capture_output=True, timeout=timeout, env=env, check=False,
    ) if stdin is not None else subprocess.run(
        [sys.executable, "-m", "glossary", *args], cwd=cwd or ROOT, capture_output=True,
        text=True, encoding="utf-8", timeout=timeout, env=env, check=False,
    )


def run_cli_on_terminal(*args: str, tmp: Path, timeout: float = 120) -> tuple[int, str, str]:
    """Run ``python -m glossary ARGS`` with stderr on a pseudo-terminal (where progress bars
    show) and stdout to a file in ``tmp`` (a full pipe would block the child): (exit code,
    stdout, everything the terminal received)."""
    import pty

    parent, child = pty.openpty()
    out_path = tmp / "terminal-stdout.txt"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="100")
    with out_path.open("wb") as out_file, subprocess.Popen(
            [sys.executable, "-m", "glossary", *args], cwd=ROOT, stdout=out_file,
            stderr=child, env=env) as proc:
        os.close(child)
        received = b""
        while True:
            try:
                chunk = os.read(parent, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            received += chunk
        code = proc.wait(timeout=timeout)
    os.close(parent)
    return code, out_path.read_text(encoding="utf-8"), received.decode(errors="replace")


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 2, a single line on stderr, no traceback, mentioning each needle."""
    err = result.stderr if isinstance(result.stderr, str) else result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err)
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
TBX_EXAMPLE = DATA / "tbx" / "Example_Astronomy_DCA_VALID.tbx"
