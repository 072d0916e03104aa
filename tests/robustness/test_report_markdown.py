"""User text in the Markdown report builds nothing: no raw HTML, link, heading or code fence.

Hostile observations, proposal titles and rating notes are rendered, and the
Markdown is parsed with markdown-it (CommonMark, as rich ships it) to check
what it would build.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tabletop.engine.exercise import Exercise
from tabletop.engine.game import Game
from tabletop.model import commands as cm
from tabletop.report import build_report, render
from tabletop.report.render import markdown_text

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click me](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![img](javascript:alert(1))",
    "# Owned heading",
    "```\ncode fence",
    "~~~",
    "text\n# heading on a new line\n===",
    "> quote",
    "- list item",
    "1. ordered",
    "a | b | c",
    "`code` and \\` backslash",
]

#: What user text may become: paragraphs of text; emphasis is harmless and left alone,
#: so ids such as ``coastal_city`` read as written in the plain file.
INERT = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak"}
EMPHASIS = {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}

md = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def tokens(text: str) -> list:
    out = []
    for tok in md.parse(text):
        out.append(tok)
        out.extend(tok.children or [])
    return out


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_builds_only_text(text: str) -> None:
    kinds = {t.type for t in tokens(markdown_text(text))}
    assert kinds <= INERT, kinds
    rendered = md.render(markdown_text(text))
    # what the reader sees is what was written (line breaks become spaces)
    assert " ".join(text.split()) in " ".join(
        rendered.removeprefix("<p>")
        .removesuffix("</p>\n")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", '"')
        .split()
    )


@given(st.text(alphabet=st.sampled_from("<>[]()`#*_-=~|!\\:/ \njavscript1."), max_size=40))
def test_any_text_stays_a_paragraph(text: str) -> None:
    kinds = {t.type for t in tokens(markdown_text(text))}
    assert kinds <= INERT | EMPHASIS, (text, kinds)


def test_the_report_escapes_hostile_user_text(game: Game) -> None:
    ex = Exercise.new(game, None)
    for text in HOSTILE:
        ex.submit(cm.AddObservation(text=text, author="eve <b>"))
    agency = ex.state.active
    other = next(a for a in ex.state.order if a != agency)
    ex.submit(
        cm.ProposeAgreement(
            agency=agency,
            mechanism="joint_operation",
            parties=[other],
            title="<script>x</script> [a](javascript:b) ```",
        )
    )
    report = render(build_report(game, ex.records), "md")
    found = tokens(report)
    assert not [t for t in found if t.type in ("html_block", "html_inline")]
    assert not [
        t for t in found if t.type == "link_open" and "javascript" in t.attrs.get("href", "")
    ]
    assert not [t for t in found if t.type in ("fence", "code_block")]
    headings = [found[i + 1].content for i, t in enumerate(found) if t.type == "heading_open"]
    assert not [h for h in headings if "Owned" in h or "heading on a new line" in h]
    assert "\\<script\\>alert(1)\\</script\\>" in report
