"""``SanitizeStudentContent``'s rules, without nbgrader or a browser (tests/test_inert_pages.py has both).

The page's template renders a Markdown cell with nbconvert's ``markdown2html``, which lets raw
HTML and ``javascript:`` links through; these tests render the cleaned cell the same way.
"""

from __future__ import annotations

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from autograder.preprocessors.sanitize import SanitizeStudentContent, clean_html, inert_markdown, render_markdown

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"


def page(markdown: str) -> str:
    """What the template makes of a Markdown cell after the preprocessor."""
    return markdown2html_mistune(inert_markdown(markdown))


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "da\nta:text/html,x",
        "vbscript:msgbox(1)",
    ],
)
def test_links_that_run_code_lose_their_target(link: str) -> None:
    html = page(f'<a href="{link}">x</a> and <img src="{link}">')
    assert "href" not in html and "src" not in html, html


def test_links_only_to_absolute_addresses_and_images_from_anywhere() -> None:
    """A relative link would open a file the student handed in (``notes.html``, ``figure.svg``), which the
    formgrader serves from the TA's origin; a relative image only shows a picture."""
    html = page(
        "[notes](notes.html) [up](../../x.html) [top](#top) [root](/api/x) [net](//evil.example/x) "
        "[docs](https://keras.io/) [mail](mailto:ta@example.org) ![figure](figure.png)"
    )
    for gone in ("notes.html", "x.html", "#top", "/api/x", "evil.example"):  # a link needs its scheme
        assert gone not in html, (gone, html)
    for kept in ('href="https://keras.io/"', 'href="mailto:ta@example.org"', 'src="figure.png"'):
        assert kept in html, (kept, html)


def test_the_templates_second_markdown_pass_cannot_revive_a_link() -> None:
    """Cleaned text that reads as a Markdown link after a blank line (here in a code block in a list) must
    stay text: rendered once more as it is, it would become a live ``javascript:`` link."""
    answer = "- item\n\n  ```\n  code\n\n  [x](javascript:alert(1))\n  ```\n"
    assert 'href="javascript:' in markdown2html_mistune(clean_html(render_markdown(answer)))
    assert "javascript:" in page(answer) and "href" not in page(answer)


def test_honest_markdown_keeps_its_form() -> None:
    answer = (
        f"## Pooling\n\n**bold** *it* `code < 3` and $a_{{i}} < b$\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        f"- one\n- two\n\n![plot](data:image/png;base64,{PNG}) [notes](https://example.org/x)\n"
    )
    html = page(answer)
    for kept in (
        "<h2>Pooling</h2>",
        "<strong>bold</strong>",
        "<em>it</em>",
        "<code>code &lt; 3</code>",
        "$a_{i} &lt; b$",
        "<td>1</td>",
        "<li>one</li>",
        f'src="data:image/png;base64,{PNG}"',
        'href="https://example.org/x"',
    ):
        assert kept in html, (kept, html)


def test_markup_that_acts_or_disguises_is_gone() -> None:
    html = page(
        '<script>alert(1)</script><style>body{display:none}</style><svg onload="alert(1)"></svg>'
        '<div id="pooling_answer" class="full-credit" style="position:fixed" onclick="alert(1)">t</div>'
        '<form action="/x"><input name="a"><button>b</button></form><iframe src="https://x"></iframe>'
    )
    for gone in ("<script", "alert(1)", "<style", "<svg", "onload", "id=", "class=", "style=", "onclick",
                 "<form", "<input", "<iframe"):
        assert gone not in html, (gone, html)


def test_a_missing_attachment_shows_the_answer_as_text() -> None:
    html = page("see ![x](attachment:gone.png) <b>here</b>")
    assert "attachment:gone.png" in html and "<b>" not in html


def sanitized(nb):
    return SanitizeStudentContent().preprocess(nb, {})


def test_outputs_keep_what_is_safe_and_drop_what_runs() -> None:
    svg = "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><circle r='4'/></svg>"
    cell = new_code_cell(
        "x",
        outputs=[
            new_output("display_data", data={"text/html": "<b>b</b><script>alert(1)</script>", "text/plain": "t"}),
            new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "<JS>"}),
            new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "m"}}),
            new_output("execute_result", data={"text/markdown": "[x](javascript:alert(1))"}, execution_count=1),
            new_output("display_data", data={"image/svg+xml": svg}),
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="<script>printed</script>"),
        ],
    )
    nb, _ = sanitized(new_notebook(cells=[cell], metadata={"widgets": {"state": {}}}))
    html, js, widget, markdown, image, png, stream = nb.cells[0].outputs
    assert html.data == {"text/html": "<b>b</b>", "text/plain": "t"}
    assert js.data == {"text/plain": "<JS>"}
    assert widget.data["text/plain"].endswith(
        "(output of type application/vnd.jupyter.widget-view+json not shown: it could run code in this page)"
    )
    assert "href" not in markdown2html_mistune(markdown.data["text/markdown"])
    assert list(image.data) == ["text/html"] and image.data["text/html"].startswith(
        '<img src="data:image/svg+xml;base64,'
    )
    assert png.data == {"image/png": PNG, "text/plain": "<Figure>"}
    assert stream.text == "<script>printed</script>"  # the template escapes streams
    assert "widgets" not in nb.metadata


def test_the_judges_outputs_pass_unchanged() -> None:
    from autograder.verdict import CellVerdict, write_outputs

    cell = new_code_cell("", metadata={"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}})
    write_outputs(cell, CellVerdict("t", 1.0, 0.0, ["✗ check  [0/1]"], "wrong"))
    before = [dict(output) for output in cell.outputs]
    nb, _ = sanitized(new_notebook(cells=[cell]))
    assert [dict(output) for output in nb.cells[0].outputs] == before


def test_formgrader_names_are_escaped() -> None:
    resources = {"student": "<b>s</b>", "first_name": '<img src=x onerror="alert(1)">', "last_name": "O'Neil & co"}
    SanitizeStudentContent().preprocess(new_notebook(cells=[new_markdown_cell("hi")]), resources)
    assert resources == {
        "student": "&lt;b&gt;s&lt;/b&gt;",
        "first_name": "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;",
        "last_name": "O&#x27;Neil &amp; co",
    }


@pytest.mark.parametrize("template", ["classic", "lab"])
def test_output_metadata_and_execution_counts_cannot_add_markup(template: str) -> None:
    """The templates write an image's width and height into its tag unquoted and print execution counts
    as they are; both come from the kernel (``display(..., metadata=...)``, a message sent by hand)."""
    from nbconvert import HTMLExporter

    payload = "1 onerror=alert(document.domain)"
    image = new_output("display_data", data={"image/png": PNG},
                       metadata={"image/png": {"width": payload, "height": 7}, "width": payload,
                                 "filenames": {"image/png": "x onerror=alert(1)"}})  # fmt: skip
    counted = new_output("execute_result", data={"text/plain": "1"}, execution_count=3)
    counted["execution_count"] = "<img src=x onerror=alert(2)>"
    cell = new_code_cell("show()")
    cell.outputs = [image, counted]  # as nbclient leaves them: not validated
    cell.execution_count = "<img src=x onerror=alert(3)>"
    nb = new_notebook()
    nb.cells = [cell]
    # nbconvert validates the notebook after each preprocessor: the sanitizer, first in the course's
    # HTMLExporter.preprocessors, must leave it valid for the page to be made at all.
    sanitized, _ = SanitizeStudentContent().preprocess(nb, {})
    html, _ = HTMLExporter(template_name=template).from_notebook_node(sanitized)
    assert "onerror" not in html
    assert 'height="7"' in html or "height=7" in html  # an honest size is kept
