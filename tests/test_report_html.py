"""report.html is one self-contained file: figures inlined, nothing fetched, printable."""

import re

import pytest

from wakhan.report.html import report_html

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_figures_are_inlined_and_tables_rendered(tmp_path):
    (tmp_path / "fig.png").write_bytes(PNG_1PX)
    md = "# Title\n\n| a | b |\n|---|---:|\n| x | 1,234 |\n\n![A figure](fig.png)\n\n<script>alert(1)</script>\n"
    page = report_html(md, tmp_path)
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page and "1,234" in page
    srcs = re.findall(r'src="([^"]+)"', page)
    assert len(srcs) == 1 and srcs[0].startswith("data:image/png;base64,")
    assert "<script>" not in page  # raw HTML in the Markdown is escaped, not run
    assert "@media print" in page and "http://" not in page and "https://" not in page


def test_a_missing_figure_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        report_html("![gone](nothing.png)", tmp_path)


def test_the_browser_check_catches_a_broken_page(tmp_path):
    """The headless-browser check used on report.html sees console errors and requests leaving the page."""
    from headless_browser import find_chromium, load_page

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no Chromium on PATH (Debian package 'chromium'; .ci/run installs it when it can)")
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><p>x</p><img src="missing.png"><img src="http://127.0.0.1:9/x.png">'
        '<script>console.error("boom")</script>'
    )
    load = load_page(chromium, page, tmp_path / "profile")
    assert "boom" in load.console_errors
    assert len(load.failed_requests) == 2
    assert sorted(u for u in load.requests if u != page.as_uri()) == sorted(
        [(tmp_path / "missing.png").as_uri(), "http://127.0.0.1:9/x.png"]
    )


class _Anchors:
    """Links (href, text) of a page and its text outside links, read with the standard library's HTML parser."""

    def __init__(self, page: str):
        from html.parser import HTMLParser

        self.links: list[tuple[str, str]] = []
        self.outside: list[str] = []
        anchors = self

        class Parser(HTMLParser):
            href = None
            text = ""

            def handle_starttag(self, tag, attrs):
                if tag == "a":
                    self.href, self.text = dict(attrs).get("href"), ""

            def handle_endtag(self, tag):
                if tag == "a" and self.href is not None:
                    anchors.links.append((self.href, self.text))
                    self.href = None

            def handle_data(self, data):
                if self.href is not None:
                    self.text += data
                else:
                    anchors.outside.append(data)

        Parser().feed(page)


URL_OR_DOI = re.compile(r"https?://\S+|doi:\s?10\.\d{4,9}/\S+", re.I)


def check_every_source_is_a_link(page: str, tmp_path) -> list[tuple[str, str]]:
    """No web address or DOI left as plain text; each DOI link points at doi.org. Returns the links."""
    found = _Anchors(page)
    assert not URL_OR_DOI.findall(" ".join(found.outside))
    for href, text in found.links:
        if text.lower().startswith("doi:"):
            assert href == "https://doi.org/" + text.split(":", 1)[1].strip()
        elif text.startswith("http"):
            assert href == text
    from headless_browser import find_chromium, load_page

    chromium = find_chromium()
    if chromium is not None:  # the browser sees the same links, clickable
        path = tmp_path / "links.html"
        path.write_text(page, encoding="utf-8")
        load = load_page(chromium, path, tmp_path / "profile")
        assert sorted(load.links) == sorted(found.links)
    return found.links


def test_every_source_url_and_doi_is_a_link(tmp_path):
    from wakhan.report.citations import DATASETS, article_citation

    md = "## Sources\n\n" + f"- Article: {article_citation()}\n"
    md += "".join(f"- Data: {ds.citation()}\n" for ds in DATASETS)
    md += "\nSee https://www.gebco.net/ (GEBCO), or [the pack](https://example.org/pack).\n"
    links = check_every_source_is_a_link(report_html(md, tmp_path), tmp_path)
    hrefs = {h for h, _ in links}
    for ds in DATASETS:
        assert (f"https://doi.org/{ds.doi}" if ds.doi else ds.url) in hrefs, ds.key
    assert "https://www.gebco.net/" in hrefs and ("https://example.org/pack", "the pack") in links
