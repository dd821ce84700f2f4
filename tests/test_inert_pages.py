"""What staff and students open runs nothing a student wrote: feedback pages, the formgrader, the report.

A small ``convolution`` class is graded by the real ``nbgrader autograde``: an honest student (the
reference, with a written answer that uses Markdown, math, a table and an inline image, and matplotlib
figures shown inline), a hostile one (the same, plus payloads in the written answer and in a solution
cell's outputs), and one whose folder holds two notebooks named with HTML (the file names reach the
class report). The hostile student's names in the gradebook (as an LMS roster brings them in) are HTML.
Every payload, if it ran, would add its name to ``window.pwned``. Each page is opened in Debian's
headless Chromium: the real ``nbgrader generate_feedback`` output, the submission page served by
a real Jupyter server with nbgrader's formgrader extension (started in the course directory, so
it reads the course's ``nbgrader_config.py`` as a TA's would), and ``autograder report``'s page.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Chromium
from nbgrader.api import Gradebook

from autograder import assignments
from autograder.classroom import Classroom, repo_root

ASSIGNMENT = "convolution"
POINTS = assignments.get(repo_root(), ASSIGNMENT).autograde_points()  # from the source notebook


HANDED_IN_PAGES = {
    "notes.html": "<script>fetch('/formgrader/api/grade/1', {method: 'PUT'})</script>",
    "Figure.SVG": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
}


def payload(name: str) -> str:
    """JavaScript that records that it ran."""
    return f"(window.pwned=window.pwned||[]).push('{name}')"


# 1x1 red PNG: an image an honest student pastes into a written answer.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
HONEST_ANSWER = f"""**Max pooling** keeps the strongest response of every $2 \\times 2$ block, so an edge survives.

| kept | lost |
|---|---|
| strong responses | exact position |

![a pooled block](data:image/png;base64,{PNG})
"""
# The grader's kernel draws with Agg (no figures in the outputs) unless the notebook asks for inline
# figures, as a student who wants their plots in the feedback does; then every later figure is a PNG.
HONEST_PLOT = """
%matplotlib inline
plt.figure(figsize=(3, 2))
plt.plot([0, 1, 2], [2, 0, 1])
plt.show()
"""
HOSTILE_ANSWER = (
    HONEST_ANSWER
    + f"""
<img src=x onerror="{payload("md-img")}">

<script>{payload("md-script")}</script>

[hostile link](javascript:{payload("md-link")})

<svg onload="{payload("md-svg")}"><circle r="4"/></svg>
"""
)
HOSTILE_OUTPUTS = f"""

from IPython.display import HTML, SVG, Javascript, display

display(HTML("<b>pooled</b><script>{payload("html-script")}</script><img src=x onerror=\\"{payload("html-img")}\\">"))
display(Javascript("{payload("javascript")}"))
display(SVG("<svg xmlns='http://www.w3.org/2000/svg' onload=\\"{payload("svg-output")}\\"><circle r='4'/></svg>"))
# an output dressed as the judge's verdict is still the student's
display(HTML("<script>{payload("judge-imitation")}</script>"),
        metadata={{"autograder": {{"score": 2, "points": 2, "reason": "", "checks": []}}}})
"""
HOSTILE_NAMES = {part: f'<img src=x onerror="{payload(part)}">' for part in ("first_name", "last_name")}
HOSTILE_FILE_NAMES = [f'<img src=x onerror="{payload("file-name")}">.ipynb', "b.ipynb"]

# What ran, and what is in the page ready to run: scripts and handler attributes carrying a payload.
RAN = """(() => ({
  ran: window.pwned || [],
  scripts: [...document.scripts].filter(s => s.textContent.includes('pwned')).length,
  attributes: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
      .filter(a => a.value.includes('pwned')).map(a => `${e.tagName} ${a.name}`)),
}))()"""
NOTHING_RAN = {"ran": [], "scripts": 0, "attributes": []}


@pytest.fixture(scope="module")
def course(outside_tmp: Path) -> Classroom:
    """The graded class, its feedback and its report."""
    if shutil.which("chromium") is None:
        pytest.fail("Debian's chromium is missing: run `bin/setup tests` (bin/test does)")
    classroom = Classroom(outside_tmp / "inert-class")
    classroom.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    reference = classroom.reference_cells(ASSIGNMENT)
    classroom.submit(
        "honest",
        ASSIGNMENT,
        {**reference, "pooling_answer": HONEST_ANSWER, "max_pool2x2": reference["max_pool2x2"] + HONEST_PLOT},
    )
    hostile = classroom.submit(
        "hostile",
        ASSIGNMENT,
        {
            **reference,
            "pooling_answer": HOSTILE_ANSWER,
            "max_pool2x2": reference["max_pool2x2"] + HOSTILE_OUTPUTS,
        },
    )
    for name, page in HANDED_IN_PAGES.items():  # files beside the notebook, for the TA to open by address
        hostile.with_name(name).write_text(page)
    handed_in = classroom.submit("hostile_file_names", ASSIGNMENT, {})
    for name in HOSTILE_FILE_NAMES:
        shutil.copy(handed_in, handed_in.with_name(name))
    handed_in.unlink()
    classroom.nbgrader("autograde", ASSIGNMENT, "--force", "--create")
    classroom.nbgrader("generate_feedback", ASSIGNMENT, "--force")
    with Gradebook(f"sqlite:///{classroom.root / 'gradebook.db'}") as gradebook:  # names from an LMS roster
        gradebook.update_or_create_student("hostile", **HOSTILE_NAMES)
    subprocess.run(
        [sys.executable, "-m", "autograder.cli", "report", "--course", str(classroom.root)],
        env=classroom.env(),
        check=True,
        capture_output=True,
    )
    return classroom


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    with Chromium() as chromium:
        yield chromium


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def formgrader(course: Classroom) -> Iterator[str]:
    """A real Jupyter server with nbgrader's formgrader, started in the course directory as a TA
    would; yields its base URL with the login token."""
    port, token = free_port(), secrets.token_hex(16)
    log = (course.root / "formgrader.log").open("wb")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "server",
            "--allow-root",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={course.root}",
            f"--IdentityProvider.token={token}",
        ],
        cwd=course.root,
        env=course.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"the formgrader did not start:\n{(course.root / 'formgrader.log').read_text()}"
                    )
                time.sleep(0.5)
        yield f"{base}/formgrader/submissions/{{submission}}/?token={token}"
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
        log.close()


def submission_id(course: Classroom, student: str) -> str:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        return gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).id


def settle(browser: Chromium) -> None:
    """Wait until every image has loaded or failed, so an ``onerror`` has had its chance to run."""
    deadline = time.monotonic() + 20
    while not browser.evaluate("[...document.images].every(image => image.complete)"):
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    time.sleep(0.5)


def click_hostile_link(browser: Chromium) -> None:
    """Click what the student wrote as a ``javascript:`` link (a TA reading the answer might)."""
    browser.evaluate(
        "[...document.querySelectorAll('a')].filter(a => a.textContent === 'hostile link')"
        ".forEach(a => a.click())"
    )
    time.sleep(0.3)


def feedback_page(course: Classroom, student: str) -> Path:
    return course.root / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"


def test_hostile_feedback_page_runs_nothing(course: Classroom, browser: Chromium) -> None:
    browser.open(feedback_page(course, "hostile"))
    settle(browser)
    click_hostile_link(browser)
    found = browser.evaluate(RAN)
    assert found == NOTHING_RAN, json.dumps(found)
    text = browser.text("body")
    assert "hostile link" in text and "pooled" in text  # the student's words are still there, as text
    assert "not shown: it could run code in this page" not in text  # the Javascript output has text/plain


def test_hostile_formgrader_page_runs_nothing(course: Classroom, browser: Chromium, formgrader: str) -> None:
    browser.open_url(formgrader.format(submission=submission_id(course, "hostile")))
    settle(browser)
    assert browser.evaluate("document.querySelector('#pooling_answer') !== null"), "not the submission page"
    click_hostile_link(browser)
    found = browser.evaluate(RAN)
    assert found == NOTHING_RAN, json.dumps(found)
    assert "hostile link" in browser.text("body")


def test_pages_handed_in_beside_the_notebook_are_never_served(course: Classroom, formgrader: str) -> None:
    """nbgrader copies a submission's other files into autograded/, and the formgrader serves them from the
    TA's origin: an .html or .svg (any letter case) is not copied, so its address leads nowhere."""
    for name in HANDED_IN_PAGES:
        for folder in ("autograded", "feedback"):
            assert not (course.root / folder / "hostile" / ASSIGNMENT / name).exists(), (folder, name)
        url = formgrader.format(submission=submission_id(course, "hostile")).replace("/?", f"/{name}?")
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(url, timeout=30)
    assert (course.root / "submitted" / "hostile" / ASSIGNMENT / "notes.html").exists()  # kept as handed in


def test_report_shows_hostile_file_names_as_text(course: Classroom, browser: Chromium) -> None:
    browser.open(course.root / "reports" / "report.html")
    settle(browser)
    found = browser.evaluate(RAN)
    assert found == NOTHING_RAN, json.dumps(found)
    assert HOSTILE_FILE_NAMES[0] in browser.text("body")  # shown, as the characters the student chose


def written_answer(browser: Chromium, cell: str) -> dict:
    """What the honest written answer's element shows: bold text, table, decoded image, math source."""
    return browser.evaluate(
        f"""(() => {{
  const cell = {cell};
  const image = cell.querySelector('img');
  return {{
    bold: [...cell.querySelectorAll('strong')].map(e => e.textContent),
    table: [...cell.querySelectorAll('table td')].map(e => e.textContent),
    image: image !== null && image.complete && image.naturalWidth > 0,
    text: cell.innerText,
  }};
}})()"""
    )


def plots(browser: Chromium) -> list[bool]:
    """Each matplotlib figure in the page: did its PNG decode?"""
    return browser.evaluate(
        "[...document.querySelectorAll('.output_png img')].map(i => i.complete && i.naturalWidth > 0)"
    )


def check_honest_content(browser: Chromium, cell: str) -> None:
    shown = written_answer(browser, cell)
    assert shown["bold"] == ["Max pooling"], shown
    assert shown["table"] == ["strong responses", "exact position"], shown
    assert shown["image"], shown  # the answer's inline PNG decoded
    assert "2 \\times 2" in shown["text"] or "2×2" in shown["text"].replace(" ", ""), (
        shown
    )  # TeX, or MathJax's
    figures = plots(browser)
    assert len(figures) >= 2 and all(figures), figures  # the notebook's own matplotlib plots


def test_honest_feedback_page_keeps_markdown_plots_and_the_judges_outputs(
    course: Classroom, browser: Chromium
) -> None:
    browser.open(feedback_page(course, "honest"))
    settle(browser)
    check_honest_content(browser, "document.querySelector('a[name=pooling_answer]').closest('div.cell')")
    judged = browser.evaluate(
        "document.querySelector('a[name=test_convolve3x3]').closest('div.cell').innerText"
    )
    full = f"{POINTS['test_convolve3x3']:g}"
    assert f"本题得分 {full} / {full} | score {full} of {full}" in judged and "✓ " in judged
    # the summary is added after; the written answer is not graded yet
    total = f"{sum(POINTS.values()):g} / {sum(assignments.get(repo_root(), ASSIGNMENT).points().values()):g}"
    assert f"总分 / total: {total}" in browser.text("#autograder-summary")


def test_honest_formgrader_page_keeps_markdown_and_plots(
    course: Classroom, browser: Chromium, formgrader: str
) -> None:
    browser.open_url(formgrader.format(submission=submission_id(course, "honest")))
    settle(browser)
    check_honest_content(browser, "document.querySelector('#pooling_answer').closest('.nbgrader_cell')")
    full = f"{POINTS['test_convolve3x3']:g}"
    assert f"本题得分 {full} / {full} | score {full} of {full}" in browser.text("body")  # the judge's output
