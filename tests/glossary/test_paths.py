"""Path handling across commands: symlink loops, dangling links, unreadable files and folders,
very long paths. Each gets a clear message and the other files are still processed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import SMALL, run_cli

from glossary.files import collect

GOOD = "The network water army posted again.\n"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def tree(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "good.txt").write_text(GOOD, encoding="utf-8")
    (docs / "sub" / "also.txt").write_text("A cat pool.\n", encoding="utf-8")
    (docs / "sub" / "loop").symlink_to(docs, target_is_directory=True)  # docs/sub/loop -> docs
    (docs / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    return docs


def check_json(*args: str, cwd: Path) -> tuple[int, list[dict[str, object]], str]:
    result = run_cli("check", "--glossary", str(SMALL), "--format", "json", "--no-progress",
                     "--select", "DQ001,DQ101", *args, cwd=cwd)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)["diagnostics"], result.stderr


def test_symlink_loop_is_not_followed_and_dangling_link_is_reported(tmp_path: Path) -> None:
    docs = tree(tmp_path)
    code, found, _ = check_json("docs", cwd=tmp_path)
    assert code == 1
    by_file = {(Path(str(d["path"])).name, d["code"]) for d in found}
    assert ("good.txt", "DQ101") in by_file and ("also.txt", "DQ101") in by_file
    dangling = [d for d in found if str(d["path"]).endswith("dangling.txt")]
    assert [d["code"] for d in dangling] == ["DQ001"]
    assert "broken symbolic link" in str(dangling[0]["message"])
    assert not any("loop" in str(d["path"]) for d in found)
    assert collect([str(docs)]).files.count(str(docs / "good.txt")) == 1


def test_unreadable_file_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated (tests may run as root, who can read anything): the reader's PermissionError
    becomes a DQ001 finding for that file only."""
    import builtins

    from glossary import terms
    from glossary.check import CheckContext, run_local
    from glossary.diagnostics import select_rules

    docs = tree(tmp_path)
    secret = docs / "secret.txt"
    secret.write_text(GOOD, encoding="utf-8")
    real_open = builtins.open

    def guarded(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(secret):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", guarded)
    ctx = CheckContext.build(terms.load(str(SMALL)), select_rules(["DQ001", "DQ101"]))
    files = collect([str(docs)]).files
    found = run_local(files, ctx).diagnostics
    assert [(d.code, d.message) for d in found if d.path == str(secret)] == [
        ("DQ001", "skipped: permission denied")]
    assert any(d.code == "DQ101" and d.path.endswith("good.txt") for d in found)


@pytest.mark.skipif(ROOT_USER, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder_on_disk(tmp_path: Path) -> None:
    docs = tree(tmp_path)
    secret = docs / "secret.txt"
    secret.write_text(GOOD, encoding="utf-8")
    closed = docs / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text(GOOD, encoding="utf-8")
    secret.chmod(0)
    closed.chmod(0)
    try:
        code, found, err = check_json("docs", cwd=tmp_path)
    finally:
        secret.chmod(0o644)
        closed.chmod(0o755)
    assert code == 1
    assert any(d["code"] == "DQ001" and str(d["path"]).endswith("secret.txt") for d in found)
    assert "closed" in err and "cannot read directory" in err
    assert any(d["code"] == "DQ101" and str(d["path"]).endswith("good.txt") for d in found)


def test_unreadable_folder_is_a_problem_not_a_crash(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tree(tmp_path)
    real_scandir = os.scandir

    def guarded(path: object = ".") -> object:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", guarded)
    found = collect([str(docs)])
    assert str(docs / "good.txt") in found.files
    assert [(Path(p).name, reason) for p, reason in found.problems] == [
        ("sub", "cannot read directory: Permission denied")]


def test_very_long_paths(tmp_path: Path) -> None:
    docs = tree(tmp_path)
    too_long = str(docs / ("x" * 300 + ".txt"))  # one name over NAME_MAX
    deep = docs
    for index in range(30):  # a path over 3,000 characters, each name legal
        deep = deep / f"{index:03d}{'d' * 100}"
    try:
        deep.mkdir(parents=True)
        (deep / "deep.txt").write_text(GOOD, encoding="utf-8")
        made_deep = True
    except OSError:  # some file systems refuse such paths outright
        made_deep = False
    code, found, err = check_json("docs", too_long, cwd=tmp_path)
    assert code == 1
    assert too_long[:50] in err or any(str(d["path"]).startswith(too_long[:50]) for d in found)
    assert any(d["code"] == "DQ101" and str(d["path"]).endswith("good.txt") for d in found)
    if made_deep:
        assert any(str(d["path"]).endswith("deep.txt") for d in found)


@pytest.mark.parametrize("command", [
    ["extract", "--glossary", str(SMALL)],
    ["glossary", "validate"],
])
def test_other_commands_name_a_dangling_link(tmp_path: Path, command: list[str]) -> None:
    docs = tree(tmp_path)
    result = run_cli(*command, str(docs / "dangling.txt"), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "dangling.txt" in result.stderr


def test_whole_file_commands_refuse_files_over_the_limit(tmp_path: Path) -> None:
    """align, score and extract hold a file in memory: over the limit they refuse it in one line
    (the limit is lowered here through the environment, as a user with little memory would)."""
    import subprocess
    import sys

    big = tmp_path / "big.txt"
    big.write_text("The cat pool was seized. " * 60_000, encoding="utf-8")  # about 1.5 MB
    env = dict(os.environ, DECALQUE_MAX_FILE_MB="1", PYTHONIOENCODING="utf-8")
    # the small glossary: the shipped one is itself over 1 MB (4,033 concepts), refused first
    for args in (["align", "--glossary", str(SMALL), str(big), str(big)],
                 ["score", "--glossary", str(SMALL), str(big), "--ref", str(big)],
                 ["extract", "--glossary", str(SMALL), str(big)]):
        result = subprocess.run([sys.executable, "-m", "glossary", *args], capture_output=True,
                                text=True, env=env, check=False)
        assert result.returncode == 2, (args, result.stderr)
        assert "big.txt" in result.stderr and "1 MB limit" in result.stderr
        assert "Traceback" not in result.stderr
