"""report.html is one self-contained file: figures inlined, nothing fetched, printable."""

import re

import pytest

from wakhan.report_html import report_html

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
