"""A generated multi-file corpus for the cross-document rules (import as ``from check_corpus
import make_case_corpus``): glossary forms and quoted phrases in several capitalisations, at
the start of sentences and mid-sentence, spread over files so that DQ102 and DQ103 groups
span partitions, with groups whose every occurrence is sentence-initial, suppressions and one
unreadable file."""

from __future__ import annotations

import random
from pathlib import Path

# forms of the small test glossary (tests/data/glossaries/small.csv), written several ways
FORMS = ["network water army", "Network Water Army", "online water army", "Internet Navy",
         "internet navy", "paid online posters", "cat pool", "Cat Pool", "modem pool",
         "routine loan", "Routine Loan", "Clean Network", "clean network", "net 2021"]
QUOTES = ['"Sword Net"', '"sword net"', '"SWORD NET"', "“Iron Fist”", "“iron fist”",
          '"Blue Sky"', '"blue-sky"', "‘Spring Wind’"]
WORDS = ("the police said that a campaign against fraud began this year and many accounts "
         "were closed after reports from users in several provinces").split()


def make_case_corpus(root: Path, files: int = 40, seed: int = 5) -> list[str]:
    """Write ``files`` files under ``root`` in nested folders; return their paths."""
    rng = random.Random(seed)
    paths: list[str] = []
    for index in range(files):
        folder = root / f"set{index % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for _ in range(rng.randint(2, 14)):
            sentence = rng.choices(WORDS, k=rng.randint(4, 12))
            for pool in (FORMS, QUOTES):
                if rng.random() < 0.35:
                    phrase = rng.choice(pool)
                    if rng.random() < 0.4:  # sentence-initial
                        sentence.insert(0, phrase)
                    else:
                        sentence.insert(rng.randrange(1, len(sentence)), phrase)
            text = " ".join(sentence)
            if text[0].isalpha() and rng.random() < 0.7:
                text = text[0].upper() + text[1:]
            lines.append(text + ".")
        if index % 9 == 4:
            lines.append("the cat pool was seized <!-- decalque: ignore DQ101 -->")
        if index % 11 == 6:
            lines.append("# decalque: ignore-next-line DQ103")
            lines.append('A "SWORD NET" here is not reported.')
        path = folder / f"file{index:03d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    broken = root / "set1" / "broken.txt"
    broken.write_bytes(b"cat pool \x00\x01\x02\xff\xfe binary")
    paths.append(str(broken))
    return paths
