"""The ``decalque score --html`` page: one self-contained file (inline CSS and SVG, no scripts,
no network), so it can be mailed or attached to a CI run and opened anywhere.

It renders the same report dictionary as ``--format json`` (schema in docs/score.md): nothing is
computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import PurePath
from typing import Any

from aligner.score import metric_keys

LABELS = {
    "bleu": "BLEU", "chrf": "chrF2", "chrf++": "chrF2++", "ter": "TER",
    "term_accuracy": "Term accuracy %", "deprecated_per_1k": "Deprecated / 1k words",
    "consistency": "Consistency %",
}
# Metrics on a 0-100 scale where higher is better: the ones the bar chart draws.
CHARTED = ("bleu", "chrf", "chrf++", "term_accuracy", "consistency")
BEFORE, AFTER = "#8a94a6", "#2f6fdd"

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;
max-width:1100px;padding:0 1em;color:#1d2430;background:#fff}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:2em;
border-bottom:1px solid #dde2ea;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-variant-numeric:tabular-nums}
th,td{padding:.3em .7em;border-bottom:1px solid #e6e9ef;text-align:right}
th{background:#f4f6f9;font-weight:600}td:first-child,th:first-child{text-align:left}
tr.corpus td{font-weight:700;border-top:2px solid #c7ced9}
.up{color:#137333}.down{color:#b3261e}.muted{color:#6b7483}
code,.sig{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.sig{background:#f4f6f9;padding:.5em .8em;white-space:pre-wrap;word-break:break-all}
.legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;
vertical-align:-.1em}
ul.notes li{margin:.2em 0}
"""


def _num(value: Any, signed: bool = False) -> str:
    if value is None:
        return '<span class="muted">–</span>'
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def _delta_cell(key: str, value: float | None) -> str:
    if value is None or abs(value) < 0.005:
        return f"<td>{_num(value, True)}</td>"
    better = value < 0 if key in ("ter", "deprecated_per_1k") else value > 0
    return f'<td class="{"up" if better else "down"}">{_num(value, True)}</td>'


def _scores_table(report: dict[str, Any], keys: Sequence[str]) -> str:
    fixed = report.get("fixed")
    head = "".join(f"<th>{escape(LABELS[k])}</th>" for k in keys)
    rows: list[str] = []

    def row(label: str, scores: dict[str, Any], cls: str = "") -> None:
        cells = "".join(f"<td>{_num(scores.get(k))}</td>" for k in keys)
        rows.append(f'<tr class="{cls}"><td>{label}</td>{cells}</tr>')

    def delta_row(label: str, change: dict[str, Any], cls: str = "") -> None:
        cells = "".join(_delta_cell(k, change.get(k)) for k in keys)
        rows.append(f'<tr class="{cls}"><td>{label}</td>{cells}</tr>')

    for index, doc in enumerate(report["documents"]):
        row(f"<code>{escape(doc['path'])}</code>", doc)
        if fixed:
            after = fixed["documents"][index]
            row(f"&nbsp;&nbsp;after fix ({after['fixes']} fixes)", after)
            delta_row("&nbsp;&nbsp;Δ", report["delta"]["documents"][index])
    row("corpus", report["corpus"], "corpus")
    if fixed:
        row(f"&nbsp;&nbsp;after fix ({fixed['fixes']} fixes)", fixed["corpus"])
        delta_row("&nbsp;&nbsp;Δ", report["delta"]["corpus"])
    return f"<table><tr><th>document</th>{head}</tr>{''.join(rows)}</table>"


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float | None]]],
              title: str) -> str:
    """Horizontal grouped bars on a 0-100 axis as inline SVG: one group per label, one bar per
    series (name, colour, values)."""
    bar, gap, left, width = 14, 10, 230, 420
    group = bar * len(series) + gap
    height = 30 + group * len(labels) + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 70}" '
             f'height="{height}" viewBox="0 0 {left + width + 70} {height}" '
             f'font-family="system-ui,sans-serif" font-size="12">',
             f"<title>{escape(title)}</title>"]
    for tick in range(0, 101, 25):
        x = left + width * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="22" x2="{x:.1f}" y2="{height - 18}" '
                     'stroke="#e6e9ef"/>')
        parts.append(f'<text x="{x:.1f}" y="16" text-anchor="middle" fill="#6b7483">{tick}</text>')
    for gi, label in enumerate(labels):
        y0 = 26 + gi * group
        name = PurePath(label).name or label
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(f'<text x="{left - 8}" y="{y0 + group / 2:.1f}" text-anchor="end" '
                     f'dominant-baseline="middle">{escape(short)}<title>{escape(label)}</title>'
                     "</text>")
        for si, (name, colour, values) in enumerate(series):
            value = values[gi]
            y = y0 + si * bar
            if value is None:
                parts.append(f'<text x="{left + 4}" y="{y + bar - 3}" fill="#6b7483">n/a</text>')
                continue
            w = width * max(0.0, min(value, 100.0)) / 100
            parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                         f'fill="{colour}"><title>{escape(name)}: {value:.2f}</title></rect>')
            parts.append(f'<text x="{left + w + 4:.1f}" y="{y + bar - 3}">{value:.1f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(report: dict[str, Any], keys: Sequence[str]) -> str:
    fixed = report.get("fixed")
    labels = [d["path"] for d in report["documents"]] + ["corpus"]
    out: list[str] = []
    for key in (k for k in CHARTED if k in keys):
        before = [d.get(key) for d in report["documents"]] + [report["corpus"].get(key)]
        series: list[tuple[str, str, Sequence[float | None]]] = [
            ("as is" if fixed else key, BEFORE if fixed else AFTER, before)]
        if fixed:
            after = [d.get(key) for d in fixed["documents"]] + [fixed["corpus"].get(key)]
            series.append(("after check --fix", AFTER, after))
        out.append(f"<h3>{escape(LABELS[key])}</h3>"
                   + bar_chart(labels, series, f"{LABELS[key]} per document"))
    legend = ""
    if fixed:
        legend = (f'<p class="legend"><span style="background:{BEFORE}"></span>as is'
                  f'<span style="background:{AFTER}"></span>after check --fix</p>')
    return legend + "".join(out)


def _terms_table(terms: Sequence[dict[str, Any]], fixed: Sequence[dict[str, Any]] | None) -> str:
    after = {t["concept"]: t for t in fixed or ()}
    head = "<th>concept</th><th>expected</th><th>correct</th><th>deprecated</th>"
    if fixed is not None:
        head += "<th>correct after fix</th>"
    head += "<th>renderings in the hypothesis</th>"
    rows = []
    for term in sorted(terms, key=lambda t: (t["correct"] - t["expected"], -t["deprecated"])):
        forms = ", ".join(f"{escape(form)} ×{n}" for form, n in term["renderings"].items())
        cells = (f"<td><code>{escape(term['concept'])}</code></td><td>{term['expected']}</td>"
                 f"<td>{term['correct']}</td><td>{term['deprecated']}</td>")
        if fixed is not None:
            cells += f"<td>{after.get(term['concept'], {}).get('correct', 0)}</td>"
        cells += f'<td style="text-align:left">{forms}</td>'
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _significance(report: dict[str, Any]) -> str:
    baseline = report.get("baseline")
    if not baseline:
        return ""
    sig = baseline["significance"]
    rows = []
    for key, result in sig["metrics"].items():
        if result is None:
            rows.append(f"<tr><td>{escape(LABELS.get(key, key))}</td>"
                        '<td colspan="5" class="muted">not tested (see notes)</td></tr>')
            continue
        p = result["p_value"]
        verdict = ("significant (p &lt; 0.05)" if p is not None and p < 0.05 and result["delta"]
                   else "")
        rows.append(f"<tr><td>{escape(LABELS.get(key, key))}</td><td>{_num(result['baseline'])}"
                    f"</td><td>{_num(result['system'])}</td>{_delta_cell(key, result['delta'])}"
                    f"<td>{'–' if p is None else f'{p:.4f}'}</td><td>{verdict}</td></tr>")
    paths = ", ".join(f"<code>{escape(d['path'])}</code>" for d in baseline["documents"])
    return (f"<h2>Against the baseline</h2><p>Baseline: {paths}. sacrebleu paired bootstrap, "
            f"{sig['n_samples']} resamples, seed {escape(str(sig.get('seed')))}.</p>"
            "<table><tr><th>metric</th><th>baseline</th><th>system</th><th>Δ</th>"
            f"<th>p-value</th><th></th></tr>{''.join(rows)}</table>")


def render_html(report: dict[str, Any], title: str = "decalque score") -> str:
    """The whole page for a report dictionary (as produced by ``decalque score``)."""
    keys = metric_keys(report["metrics"])
    fixed = report.get("fixed")
    sections = [f"<h1>{escape(title)}</h1>"]
    docs = ", ".join(f"<code>{escape(d['path'])}</code> vs <code>{escape(d['ref'])}</code>"
                     for d in report["documents"])
    sections.append(f'<p class="muted">{len(report["documents"])} document(s): {docs}</p>')
    sections.append("<h2>Scores" + (" before and after <code>check --fix</code>" if fixed
                                     else "") + "</h2>")
    sections.append(_scores_table(report, keys))
    sections.append("<h2>Per document</h2>" + _charts(report, keys))
    if report.get("terms"):
        sections.append("<h2>Glossary concepts</h2>"
                        + _terms_table(report["terms"], fixed.get("terms") if fixed else None))
    sections.append(_significance(report))
    notes = list(report.get("notes", [])) + [n + " (after fix)" for n in
                                              (fixed or {}).get("notes", [])]
    if notes:
        sections.append("<h2>Notes</h2><ul class=\"notes\">"
                        + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
    sigs = "\n".join(f"{escape(k)}: {escape(v)}" for k, v in report["signature"].items())
    sections.append(f'<h2>Signatures</h2><div class="sig">{sigs}</div>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
            + "\n".join(s for s in sections if s) + "</body></html>\n")
