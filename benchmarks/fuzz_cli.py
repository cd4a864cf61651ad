"""Fuzz every decalque subcommand with random and mutated files (run by hand, time-boxed).

    python benchmarks/fuzz_cli.py --minutes 10                # all commands
    python benchmarks/fuzz_cli.py --minutes 5 --commands check,glossary-validate

Feeds random bytes, truncated UTF-8, mixed encodings, NUL bytes, 10 MB single lines, deeply
nested or huge Markdown, CSV with quotes and embedded newlines, XML with entities, mutated seeds
and glossaries to each subcommand, and records any traceback or exit code outside 0/1/2 (a
crash), or a run over the per-run time limit (a hang). Failing inputs are kept in
benchmarks/out/fuzz-failures/ with the command line, so each can be replayed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TERMS = ROOT / "terms.csv" if (ROOT / "terms.csv").exists() else (
    ROOT / "tests" / "data" / "glossaries" / "small.csv")
OUT = ROOT / "benchmarks" / "out" / "fuzz-failures"


# -- input generators: each returns (file name, bytes) -----------------------------------------
def random_bytes(rng: random.Random) -> tuple[str, bytes]:
    return "random.txt", rng.randbytes(rng.randint(0, 4096))


def truncated_utf8(rng: random.Random) -> tuple[str, bytes]:
    data = rng.choice(SEEDS).read_bytes()
    data = "网络水军“cat pool”".encode() + data
    return "trunc.txt", data[: rng.randint(1, len(data))][:-1] + b"\xe7\xbd"


def mixed_encodings(rng: random.Random) -> tuple[str, bytes]:
    parts = ["the network water army 网络水军 ", "cat pool 猫池 “quoted” ", "Net Net 2022 "]
    encs = ["utf-8", "gb18030", "utf-16-le", "latin-1"]
    out = b""
    for _ in range(rng.randint(1, 20)):
        text = rng.choice(parts)
        enc = rng.choice(encs)
        out += text.encode(enc, errors="replace")
    return "mixed.txt", out


def nul_bytes(rng: random.Random) -> tuple[str, bytes]:
    data = bytearray(rng.choice(SEEDS).read_bytes()[:5000])
    for _ in range(rng.randint(1, 20)):
        data.insert(rng.randrange(len(data) + 1), 0)
    return "nul.txt", bytes(data)


def huge_line(rng: random.Random) -> tuple[str, bytes]:
    unit = rng.choice([b"the cat pool and the network water army ", b"x" * 64, "净网".encode()])
    return "line.txt", unit * (10_000_000 // len(unit))


def nested_markdown(rng: random.Random) -> tuple[str, bytes]:
    depth = rng.randint(100, 5000)
    kinds = [("> " * depth) + "cat pool\n", ("- " * depth) + "cat pool\n",
             "[" * depth + "cat pool" + "](x)" * depth + "\n", "```\n" * depth,
             "<div>" * depth + "network water army" + "</div>" * depth,
             "`" * depth + "cat pool" + "`" * (depth - 1), "<!--" * depth + "net net 2021"]
    return "nested.md", rng.choice(kinds).encode()


def huge_markdown(rng: random.Random) -> tuple[str, bytes]:
    seed = rng.choice(SEEDS).read_text(encoding="utf-8")
    blocks = [f"## {i}\n\n{seed[:2000]}\n\n```\ncode cat pool\n```\n" for i in range(500)]
    return "huge.md", "".join(blocks).encode()


def tricky_csv(rng: random.Random) -> tuple[str, bytes]:
    header = "id,zh,preferred,admitted,deprecated,status,category,note\n"
    cells = ['"', '""', '"a\nb"', "a,b", "\r", "\n", "x|y||", " padded ", "网络", "\x00", "'",
             '"unterminated', "approved", "campaign", "{year}", "net {year}"]
    rows = [",".join(rng.choice(cells) for _ in range(rng.randint(1, 10)))
            for _ in range(rng.randint(0, 30))]
    body = header * rng.randint(0, 1) + "\n".join(rows)
    return "terms.csv", body.encode("utf-8", errors="surrogatepass")


def mutated_glossary(rng: random.Random) -> tuple[str, bytes]:
    data = bytearray(TERMS.read_bytes())
    for _ in range(rng.randint(1, 30)):
        pos = rng.randrange(len(data))
        op = rng.random()
        if op < 0.4:
            data[pos] = rng.choice(b',"|\n\r x\x00\xff')
        elif op < 0.7:
            del data[pos:pos + rng.randint(1, 50)]
        else:
            data[pos:pos] = rng.choice([b'"', b",", b"\n", b"|", "网".encode(), b"\xe7"])
    return "terms.csv", bytes(data)


def xml_entities(rng: random.Random) -> tuple[str, bytes]:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    lol = f'<?xml version="1.0"?><!DOCTYPE tbx [{entities}]><tbx>&lol9;</tbx>'
    xxe = ('<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           '<tbx xmlns="urn:iso:std:iso:30042:ed-2">&xxe;</tbx>')
    truncated = (ROOT / "tests" / "data" / "tbx" / "Example_Astronomy_DCA_VALID.tbx").read_bytes()
    truncated = truncated[: rng.randint(1, len(truncated))]
    return "glossary.tbx", rng.choice([lol.encode(), xxe.encode(), truncated])


def mutated_seed(rng: random.Random) -> tuple[str, bytes]:
    data = bytearray(rng.choice(SEEDS).read_bytes())
    for _ in range(rng.randint(1, 50)):
        pos = rng.randrange(len(data))
        data[pos:pos + rng.randint(0, 3)] = rng.randbytes(rng.randint(0, 3))
    return rng.choice(["seed.txt", "seed.md", "seed.html"]), bytes(data)


GENERATORS: dict[str, Callable[[random.Random], tuple[str, bytes]]] = {
    "random-bytes": random_bytes, "truncated-utf8": truncated_utf8,
    "mixed-encodings": mixed_encodings, "nul-bytes": nul_bytes, "huge-line": huge_line,
    "nested-markdown": nested_markdown, "huge-markdown": huge_markdown,
    "tricky-csv": tricky_csv, "mutated-glossary": mutated_glossary,
    "xml-entities": xml_entities, "mutated-seed": mutated_seed,
}

ZH_SOURCE = ROOT / "seeds" / "zh" / "000-clean-network-2021-results-2022.txt"


def _pairs_with(path: str) -> str:
    """A pairs file next to the fuzzed input that pairs a seed with it as its source."""
    pairs = os.path.join(os.path.dirname(path), "pairs.tsv")
    with open(pairs, "w", encoding="utf-8") as handle:
        handle.write(f"{SEEDS[0]}\t{path}\n")
    return pairs


# -- commands: each maps an input file to argv (file roles differ per command) --------------------
DOC_INPUTS = ["random-bytes", "truncated-utf8", "mixed-encodings", "nul-bytes", "huge-line",
              "nested-markdown", "huge-markdown", "mutated-seed"]
GLOSSARY_INPUTS = ["tricky-csv", "mutated-glossary", "random-bytes", "nul-bytes"]
COMMANDS: dict[str, tuple[list[str], Callable[[str], list[str]]]] = {
    "check": (DOC_INPUTS, lambda f: ["check", "--glossary", str(TERMS), f]),
    "check-fix": (DOC_INPUTS, lambda f: ["check", "--glossary", str(TERMS), "--fix", f]),
    "check-json": (DOC_INPUTS, lambda f: ["check", "-g", str(TERMS), "--format", "sarif", f]),
    "check-with-glossary": (GLOSSARY_INPUTS,
                            lambda f: ["check", "--glossary", f, str(SEEDS[0])]),
    "glossary-validate": (GLOSSARY_INPUTS, lambda f: ["glossary", "validate", f]),
    "glossary-stats": (GLOSSARY_INPUTS, lambda f: ["glossary", "stats", "--glossary", f]),
    "glossary-show": (GLOSSARY_INPUTS, lambda f: ["glossary", "show", "net", "--glossary", f]),
    "extract": (DOC_INPUTS, lambda f: ["extract", "--glossary", str(TERMS), f]),
    "align": (DOC_INPUTS, lambda f: ["align", f, str(SEEDS[0])]),
    "align-english": (DOC_INPUTS, lambda f: ["align", str(ZH_SOURCE), f, "--format", "json"]),
    "align-presplit": (DOC_INPUTS, lambda f: ["align", str(ZH_SOURCE), f, "--presplit"]),
    "check-source": (DOC_INPUTS, lambda f: ["check", "-g", str(TERMS), "--pairs",
                                            _pairs_with(f), "--select", "DQ2"]),
    "check-pairs-file": (GLOSSARY_INPUTS, lambda f: ["check", "-g", str(TERMS), "--pairs", f]),
    "score-source": (DOC_INPUTS, lambda f: ["score", str(SEEDS[0]), "--ref", str(SEEDS[1]),
                                            "--src", f]),
    "extract-source": (DOC_INPUTS, lambda f: ["extract", "-g", str(TERMS), str(SEEDS[0]),
                                              "--source", f]),
    "score": (DOC_INPUTS, lambda f: ["score", f, "--ref", str(SEEDS[0])]),
    "import-tbx": (["xml-entities", "random-bytes"],
                   lambda f: ["import", f, "--into", str(TERMS), "--dry-run"]),
    "import-csv": (GLOSSARY_INPUTS, lambda f: ["import", f, "--format", "csv", "--into",
                                               str(TERMS), "--dry-run"]),
    "export": (GLOSSARY_INPUTS, lambda f: ["export", "--format", "tbx", "--glossary", f]),
}


def available(command: str) -> bool:
    """Skip subcommands that this checkout does not have yet. (The argv is built for a file
    in a temporary folder: some commands write a pairs file beside their input.)"""
    with tempfile.TemporaryDirectory(prefix="decalque-fuzz-") as tmp:
        name = COMMANDS[command][1](os.path.join(tmp, "x"))[0]
    result = subprocess.run([sys.executable, "-m", "glossary", name, "--help"],
                            capture_output=True, text=True, check=False)
    return result.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="total time budget")
    parser.add_argument("--commands", default="", help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=120.0, help="per run, seconds")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chosen = [c for c in (args.commands.split(",") if args.commands else COMMANDS) if c]
    chosen = [c for c in chosen if available(c)]
    print(f"commands: {', '.join(chosen)}", flush=True)
    deadline = time.monotonic() + args.minutes * 60
    runs: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    codes: Counter[int] = Counter()
    failures = 0
    OUT.mkdir(parents=True, exist_ok=True)
    while time.monotonic() < deadline:
        command = rng.choice(chosen)
        inputs, argv_for = COMMANDS[command]
        kind = rng.choice(inputs)
        name, data = GENERATORS[kind](rng)
        with tempfile.TemporaryDirectory(prefix="decalque-fuzz-") as tmp:
            path = os.path.join(tmp, name)
            with open(path, "wb") as handle:
                handle.write(data)
            argv = [sys.executable, "-m", "glossary", *argv_for(path)]
            terms_before = TERMS.read_bytes()
            started = time.monotonic()
            try:
                result = subprocess.run(argv, capture_output=True, timeout=args.timeout,
                                        cwd=tmp, check=False)
                code, err = result.returncode, result.stderr.decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                code, err = -999, f"timeout after {args.timeout}s"
            elapsed = time.monotonic() - started
            runs[command] += 1
            kinds[kind] += 1
            codes[code] += 1
            broken = code not in (0, 1, 2) or "Traceback" in err
            if TERMS.read_bytes() != terms_before:
                broken, err = True, "terms.csv was modified!\n" + err
            if broken:
                failures += 1
                keep = OUT / f"{command}-{kind}-{failures}"
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, keep / name)
                (keep / "command.txt").write_text(" ".join(argv) + f"\nexit {code}\n{err}",
                                                  encoding="utf-8")
                print(f"FAIL {command} {kind} exit={code} ({elapsed:.1f}s): "
                      f"{err.strip().splitlines()[-1] if err.strip() else ''}", flush=True)
    total = sum(runs.values())
    print(f"\n{total} runs, {failures} failures, {args.minutes:.1f} min")
    print("by command:", dict(runs))
    print("by input kind:", dict(kinds))
    print("exit codes:", dict(codes))


if __name__ == "__main__":
    main()
