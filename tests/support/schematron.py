"""A small ISO Schematron runner for tests, on elementpath's XPath 2.0.

The official TBX-Basic Schematron declares ``queryBinding="xslt2"`` (it uses ``matches()`` and
function calls as path steps), which lxml's isoschematron (XSLT 1) refuses. Rather than edit
the official file, tests apply it unchanged: for each pattern, each node is checked by the
first rule whose context matches it (ISO Schematron semantics), and every failed assert is
returned with its message and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import elementpath
from elementpath import XPath2Parser, XPathContext
from lxml import etree

SCH = "{http://purl.oclc.org/dsdl/schematron}"


@dataclass(frozen=True)
class Failure:
    context: str
    test: str
    message: str
    line: int | None


class Schematron:
    def __init__(self, path: str | Path) -> None:
        schema = etree.parse(str(path))
        self.namespaces = {ns.get("prefix"): ns.get("uri") for ns in schema.iter(f"{SCH}ns")}
        self.patterns: list[list[tuple[str, object, list[tuple[str, str, object]]]]] = []
        for pattern in schema.iter(f"{SCH}pattern"):
            rules = []
            for rule in pattern.iter(f"{SCH}rule"):
                context = rule.get("context")
                selector = elementpath.Selector("//" + context, namespaces=self.namespaces,
                                                parser=XPath2Parser)
                asserts = []
                for check in rule.iter(f"{SCH}assert"):
                    test = check.get("test")
                    token = XPath2Parser(namespaces=self.namespaces).parse(f"boolean({test})")
                    asserts.append((test, " ".join("".join(check.itertext()).split()), token))
                rules.append((context, selector, asserts))
            self.patterns.append(rules)

    def failures(self, document: etree._ElementTree) -> list[Failure]:
        root = elementpath.get_node_tree(document)
        found: list[Failure] = []
        for rules in self.patterns:
            fired: set[int] = set()
            for context, selector, asserts in rules:
                for node in selector.select(root):  # type: ignore[attr-defined]
                    if id(node) in fired:
                        continue
                    fired.add(id(node))
                    for test, message, token in asserts:
                        if not token.evaluate(XPathContext(root, item=node)):  # type: ignore
                            element = getattr(node, "parent", None) or node
                            line = getattr(getattr(element, "elem", element), "sourceline",
                                           None)
                            found.append(Failure(context, test, message, line))
        return found
