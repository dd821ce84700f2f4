"""``SanitizeStudentContent``: what a student wrote or displayed reaches staff's pages as inert HTML.

The formgrader shows a submission in the TA's own Jupyter origin, and the feedback page is
HTML too. nbconvert's templates put a Markdown cell's rendering and a cell's ``text/html``,
``text/markdown`` and ``application/javascript`` outputs into the page as they are, so a
written answer's ``<img onerror=...>`` or a solution cell's ``display(Javascript(...))``
would run there (in the formgrader: with the TA's right to change any grade). This step runs
before the template renders the notebook (``c.HTMLExporter.preprocessors`` in
``nbgrader_config.py``, which both ``nbgrader generate_feedback`` and the formgrader read):

- a Markdown or raw cell becomes its rendered HTML, cleaned by nh3 (ammonia): ordinary
  Markdown, tables, math (left as ``$...$`` text for MathJax) and images stay; scripts, event
  handlers, styles, ids, classes, forms, frames, ``javascript:`` and relative links go. The result is one
  line inside a ``<div>``, so the template's own Markdown rendering passes it through untouched
  (a blank line would let it parse the cleaned text as Markdown again, links included);
- an output keeps plain text, PNG, JPEG and LaTeX as they are (the template escapes them),
  keeps ``text/html`` and ``text/markdown`` cleaned the same way, shows SVG as an image (where
  no script in it runs), and drops everything else (JavaScript, widgets, unknown types) with a
  note saying so; the notebook's widget state goes too;
- the student's id and names the formgrader's handler passes to its template are escaped.

Nothing is exempt: the judge writes its verdict as plain text, streams and an error output
(``autograder.verdict.write_outputs``), which pass unchanged; ``FeedbackSummary`` adds its
table after this step.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence

import nh3
from nbconvert.exporters.exporter import ResourcesDict
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode
from traitlets import List, Unicode

from autograder import feedback

SAFE_AS_THEY_ARE = frozenset({"text/plain", "image/png", "image/jpeg", "text/latex"})
# What the formgrader's handler passes in ``resources`` from the gradebook's student row: a roster
# imported from an LMS carries names the students chose.
STUDENT_NAMES = ("student", "first_name", "last_name")
IMAGE_DATA_URL = re.compile(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]")

_TAGS = set(nh3.ALLOWED_TAGS) | {"tfoot"}


def browser_url(value: str) -> str:
    """``value`` as a browser reads a URL: tabs and newlines dropped, control characters and spaces
    around it stripped, scheme in lower case."""
    url = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    scheme = re.match(r"[a-zA-Z][a-zA-Z0-9+.\-]*:", url)
    return scheme.group(0).lower() + url[scheme.end() :] if scheme else url


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """A ``data:`` URL only as an image's source, and only of an image type; a link only to an absolute
    URL (nh3 checks the schemes). The formgrader serves the files handed in beside a notebook from the
    TA's origin, so a relative link to the student's own ``notes.html`` or ``figure.svg`` would run it
    there when clicked; a relative image source only shows an image."""
    url = browser_url(value)
    if url.startswith("data:"):
        return value if tag == "img" and attribute == "src" and IMAGE_DATA_URL.match(url.lower()) else None
    if attribute == "href" and not re.match(r"[a-z][a-z0-9+.\-]*://|mailto:", url):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes={tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_keep_attribute,
    url_schemes=set(nh3.ALLOWED_URL_SCHEMES) | {"data"},
)


def clean_html(fragment: str) -> str:
    """``fragment`` with nothing left in it that a browser would run."""
    return _CLEANER.clean(fragment)


def one_html_block(fragment: str) -> str:
    """Cleaned HTML as one line in a ``<div>``: Markdown renders such a line exactly as it is.

    A newline and ``&#10;`` are the same character to the browser, in text and in attribute values.
    """
    return "<div>" + fragment.replace("\r", "&#13;").replace("\n", "&#10;") + "</div>"


def render_markdown(source: str, attachments: dict | None = None) -> str:
    """Markdown as nbconvert renders it for the page (attachments inlined), or as text if it cannot be."""
    renderer = IPythonRenderer(escape=False, attachments=attachments or {}, exclude_anchor_links=True)
    try:
        return MarkdownWithMath(renderer=renderer).render(source)
    except Exception:  # noqa: BLE001 (a missing attachment, or anything else the student's text breaks)
        return f"<pre>{html.escape(source)}</pre>"


def inert_markdown(source: str, attachments: dict | None = None) -> str:
    """Markdown as inert HTML that the template's Markdown rendering leaves as it is."""
    return one_html_block(clean_html(render_markdown(source, attachments)))


def _count(value: object) -> int | None:
    """An execution count as the template may print it: a number, or nothing."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# What the templates read from an output's metadata, and the values they may get. Width and height
# are written into an <img> tag unquoted ("width=1 onerror=..."), so only whole numbers pass; file
# names, "isolated" (an iframe) and anything else a kernel sends are dropped.
IMAGE_METADATA = {
    "width": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "height": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "unconfined": lambda v: isinstance(v, bool),
    "alt": lambda v: isinstance(v, str),  # quoted and escaped by the templates
    "needs_background": lambda v: v in ("light", "dark"),
}


def _image_metadata(entries: object) -> dict[str, object]:
    if not isinstance(entries, dict):
        return {}
    return {key: value for key, value in entries.items() if key in IMAGE_METADATA and IMAGE_METADATA[key](value)}


def inert_output_metadata(metadata: object) -> dict[str, object]:
    """An output's metadata with only what the page shows safely: per image type and at the top level,
    the image settings above; the judge's own record (``autograder``, plain data the page never shows)."""
    if not isinstance(metadata, dict):
        return {}
    kept: dict[str, object] = _image_metadata(metadata)
    for key, value in metadata.items():
        if "/" in key and _image_metadata(value):  # a MIME type's own settings
            kept[key] = _image_metadata(value)
    if isinstance(metadata.get("autograder"), dict):
        kept["autograder"] = metadata["autograder"]
    return kept


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


class SanitizeStudentContent(Preprocessor):
    """Make every Markdown cell and rich output of a notebook inert HTML before a page shows it."""

    languages = List(
        Unicode(), list(feedback.LANGUAGES), help="Languages of the note left where an output was dropped."
    ).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        nb.metadata.pop("widgets", None)  # widget state: the page's widget manager would render it
        for name in STUDENT_NAMES:  # the formgrader's header prints them unescaped
            if isinstance(resources.get(name), str):
                resources[name] = html.escape(resources[name])
        return super().preprocess(nb, resources)

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if cell.cell_type == "markdown":
            cell.source = inert_markdown(cell.source, cell.get("attachments"))
        elif cell.cell_type == "raw":
            cell.source = clean_html(cell.source)
        if "execution_count" in cell:  # the template prints it unescaped; a kernel can send any value
            cell.execution_count = _count(cell.execution_count)
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = _count(output["execution_count"])
            if "data" in output:  # display_data, execute_result; streams and errors are text
                output["data"] = self.inert_data(output["data"])
                output["metadata"] = inert_output_metadata(output.get("metadata"))
        return cell, resources

    def inert_data(self, data: dict[str, object]) -> dict[str, object]:
        """One output's representations, each safe to show or left out."""
        kept: dict[str, object] = {}
        dropped: list[str] = []
        for mime, value in data.items():
            if mime in SAFE_AS_THEY_ARE:
                kept[mime] = value
            elif mime == "text/html":
                kept[mime] = clean_html(_text(value))
            elif mime == "text/markdown":
                kept[mime] = inert_markdown(_text(value))
            elif mime == "image/svg+xml" and "text/html" not in data:
                svg = base64.b64encode(_text(value).encode("utf-8")).decode("ascii")
                kept["text/html"] = f'<img src="data:image/svg+xml;base64,{svg}" alt="SVG">'
            elif mime != "image/svg+xml":
                dropped.append(mime)
        if dropped and not kept:
            kept["text/plain"] = self.note(dropped)
        return kept

    def note(self, dropped: Sequence[str]) -> str:
        return " / ".join(
            feedback.message("output_not_shown", self.languages, types=", ".join(dropped)).splitlines()
        )
