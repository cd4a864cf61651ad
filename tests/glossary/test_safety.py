"""Data safety of terms.csv: atomic saves under SIGKILL, two writers, external changes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from glossary import terms
from glossary.errors import DecalqueError

HEADER = "id,zh,preferred,admitted,deprecated,status,category,note\n"


def big_glossary(path: Path, rows: int, marker: str) -> bytes:
    lines = [HEADER] + [f"c{i}-{marker},术语{i},preferred {i} {marker},,deprecated {i} {marker},"
                        f"approved,other,\"note {i}, {'x' * 60}\"\n" for i in range(rows)]
    data = "".join(lines).encode("utf-8")
    path.write_bytes(data)
    return data


SAVER = textwrap.dedent("""
    import sys
    from glossary import terms
    old, new = sys.argv[1], sys.argv[2]
    glossary = terms.parse(open(new, encoding="utf-8").read(), old)
    print("ready", flush=True)
    while True:
        glossary.save(old)
""")


@pytest.mark.parametrize("attempt", range(5))
def test_kill_during_large_save_leaves_old_or_new_file(tmp_path: Path, attempt: int) -> None:
    target = tmp_path / "terms.csv"
    source = tmp_path / "new.csv"
    old = big_glossary(target, 60_000, "old")
    new = big_glossary(source, 60_000, "new")
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(target), str(source)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(0.05 + attempt * 0.13)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert target.read_bytes() in (old, new)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in {"terms.csv", "new.csv"}]
    assert all(name.startswith(".terms.csv.") for name in leftovers)  # temp files, never target


WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from glossary import terms
    from glossary.errors import DecalqueError
    path, concept_id, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    glossary = terms.load(path)
    print("loaded", flush=True)
    while not go.exists():
        time.sleep(0.001)
    edited = glossary.with_concept(terms.Concept(id=concept_id, preferred=concept_id + " term",
                                                 status="proposed"))
    try:
        edited.save()
    except DecalqueError as exc:
        print("refused:", exc, flush=True)
        sys.exit(2)
    print("saved", flush=True)
""")


@pytest.mark.parametrize("attempt", range(3))
def test_two_writers_never_lose_an_addition_silently(tmp_path: Path, attempt: int) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(HEADER + "base,甲,alpha,,beta,approved,other,\n", encoding="utf-8")
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(go)],
                              stdout=subprocess.PIPE, text=True) for name in ("one", "two")]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "loaded"
    go.touch()
    outcomes = {}
    for name, proc in zip(("one", "two"), procs, strict=True):
        out, _ = proc.communicate(timeout=60)
        outcomes[name] = (proc.returncode, out)
    final = terms.load(str(path))
    ids = {c.id for c in final}
    for name, (code, out) in outcomes.items():
        if code == 0:
            assert name in ids, (name, outcomes)
        else:
            assert code == 2 and "changed on disk since it was loaded" in out, outcomes
            assert name not in ids
    assert "base" in ids
    assert any(code == 0 for code, _ in outcomes.values())


def test_save_refuses_after_external_change_and_force_overrides(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(HEADER + "a-a,甲,alpha,,beta,approved,other,\n", encoding="utf-8")
    glossary = terms.load(str(path)).with_concept(terms.Concept(id="b-b", preferred="gamma"))
    path.write_text(HEADER + "a-a,甲,alpha,,beta,approved,other,edited elsewhere\n",
                    encoding="utf-8")
    with pytest.raises(DecalqueError, match="changed on disk"):
        glossary.save()
    assert "edited elsewhere" in path.read_text(encoding="utf-8")
    glossary.save(str(tmp_path / "copy.csv"))  # save-as is always allowed
    glossary.save(force=True)
    assert "b-b" in path.read_text(encoding="utf-8")


def test_consecutive_saves_of_one_session_are_not_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(HEADER + "a-a,甲,alpha,,beta,approved,other,\n", encoding="utf-8")
    glossary = terms.load(str(path))
    first = glossary.with_concept(terms.Concept(id="b-b", preferred="gamma"))
    first.save()
    second = first.with_concept(terms.Concept(id="c-c", preferred="delta"))
    second.save()
    assert [c.id for c in terms.load(str(path))] == ["a-a", "b-b", "c-c"]


def test_save_keeps_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text(HEADER + "a-a,甲,alpha,,beta,approved,other,\n", encoding="utf-8")
    os.chmod(path, 0o640)
    terms.load(str(path)).with_concept(terms.Concept(id="b-b", preferred="gamma")).save()
    assert (path.stat().st_mode & 0o777) == 0o640


def test_files_on_the_command_line_are_never_modified_without_fix_or_into(
        tmp_path: Path) -> None:
    """Every command that reads user files, run on copies; only --fix and import without
    --dry-run may write, and those are not run here."""
    import hashlib
    import shutil

    from helpers import ROOT, run_cli

    names = ["000-clean-network-2021-results-2022.txt", "002-cat-pool-and-cyber-violence-2023.txt"]
    (tmp_path / "zh").mkdir()
    for name in names:
        shutil.copy(ROOT / "seeds" / name, tmp_path / name)
        shutil.copy(ROOT / "seeds" / "zh" / name, tmp_path / "zh" / name)
    shutil.copy(ROOT / "terms.csv", tmp_path / "terms.csv")
    first, second = names
    assert run_cli("export", "-g", "terms.csv", "-o", "glossary.tbx", cwd=tmp_path).returncode == 0

    def snapshot() -> dict[str, str]:
        return {str(p.relative_to(tmp_path)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(tmp_path.rglob("*")) if p.is_file()}

    before = snapshot()
    commands = [
        ["check", "-g", "terms.csv", first, second, "--no-progress"],
        ["check", "-g", "terms.csv", ".", "--source", "zh", "--no-progress"],
        ["check", "-g", "terms.csv", first, "--diff"],
        ["extract", "-g", "terms.csv", first, second, "--source", "zh"],
        ["align", f"zh/{first}", first],
        ["score", first, "--ref", second, "-g", "terms.csv", "-m", "chrf,term", "--compare-fix"],
        ["glossary", "validate", "terms.csv"],
        ["glossary", "stats", "-g", "terms.csv"],
        ["import", "glossary.tbx", "--into", "terms.csv", "--dry-run"],
    ]
    for command in commands:
        result = run_cli(*command, cwd=tmp_path)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert snapshot() == before, command
