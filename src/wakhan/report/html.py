"""report.html: the Markdown report as one self-contained, printable web page.

Figures are inlined as ``data:`` URIs and the style sheet is embedded, so the
page makes no network request and can be mailed, archived or printed as one
file. Markdown is rendered with markdown-it-py (CommonMark plus tables). Every
web address and DOI in the text becomes a link (:func:`linkify`): a ``doi:10...``
points at ``https://doi.org/10...``.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from markdown_it import MarkdownIt

__all__ = ["report_html", "linkify", "CSS"]

CSS = """
:root { --ink: #1c2833; --muted: #5d6d7e; --rule: #d5d8dc; --accent: #b03a2e; }
* { box-sizing: border-box; }
body { font: 16px/1.55 Georgia, "Times New Roman", serif; color: var(--ink); margin: 0 auto;
       max-width: 60rem; padding: 2rem 1.5rem 4rem; background: #fff; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 0.4rem; }
p, li { max-width: 46rem; }
table { border-collapse: collapse; margin: 0.8rem 0 1.2rem; font: 14px/1.4 "Helvetica Neue", Arial, sans-serif;
        display: block; overflow-x: auto; max-width: 100%; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.6rem; vertical-align: top; }
th { text-align: left; border-bottom: 2px solid var(--ink); white-space: nowrap; }
td[style*="right"], th[style*="right"] { font-variant-numeric: tabular-nums; white-space: nowrap; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0 0.2rem; border: 1px solid var(--rule); }
p > em:only-child { color: var(--muted); font-size: 0.9rem; }
code { font: 0.88em/1.4 Menlo, Consolas, monospace; background: #f4f6f7; padding: 0 0.2em; }
strong { color: #000; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  table, img, figure { page-break-inside: avoid; break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 18mm 16mm; }
}
"""


def _data_uri(path: Path) -> str:
    kind = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
    mime = kind.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


# a web address, or a DOI written doi:10.NNNN/suffix (Crossref's pattern for modern DOIs)
_LINKABLE = re.compile(r"(?P<url>https?://[^\s<>\"']+)|(?P<doi>\bdoi:\s?(?P<id>10\.\d{4,9}/[^\s<>\"']+))", re.I)
_TRAILING = ".,;:!?)]}"


def _link(match: re.Match) -> str:
    text = match.group(0)
    tail = ""
    while text and text[-1] in _TRAILING and not (text[-1] == ")" and text.count("(") >= text.count(")")):
        text, tail = text[:-1], text[-1] + tail
    if match.group("url"):
        href = text
    else:
        href = "https://doi.org/" + text.split(":", 1)[1].strip()
    return f'<a href="{href}">{text}</a>{tail}'


def linkify(body: str) -> str:
    """HTML ``body`` with every web address and ``doi:`` in its text made a link (text already in a link, or
    inside a tag, is left alone).

    Parameters
    ----------
    body : str
        Rendered HTML (entities escaped, as markdown-it writes it).

    Returns
    -------
    str

    Examples
    --------
    >>> linkify("<p>GEBCO. doi:10.5285/f98b. See https://www.gebco.net/.</p>")
    '<p>GEBCO. <a href="https://doi.org/10.5285/f98b">doi:10.5285/f98b</a>. See <a href="https://www.gebco.net/">https://www.gebco.net/</a>.</p>'
    >>> linkify('<p><a href="https://x.org/">https://x.org/</a></p>')
    '<p><a href="https://x.org/">https://x.org/</a></p>'
    """
    out = []
    depth = 0  # inside <a>...</a>
    for part in re.split(r"(<[^>]*>)", body):
        if part.startswith("<"):
            if re.match(r"<a[\s>]", part, re.I):
                depth += 1
            elif re.match(r"</a\s*>", part, re.I):
                depth = max(0, depth - 1)
            out.append(part)
        elif depth:
            out.append(part)
        else:
            out.append(_LINKABLE.sub(_link, part))
    return "".join(out)


def report_html(markdown: str, folder: Path, title: str = "The Wakhan Corridor claims, tested with data") -> str:
    """The page for ``markdown``; images named relative to ``folder`` are inlined (missing ones raise)."""

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)

    def inline(match: re.Match) -> str:
        src = html.unescape(match.group(1))
        if src.startswith("data:"):
            return match.group(0)
        path = Path(folder) / src
        return f'src="{_data_uri(path)}"'

    body = linkify(re.sub(r'src="([^"]+)"', inline, body))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n"
        "</body>\n</html>\n"
    )
