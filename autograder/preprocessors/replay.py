"""``ReplayJudged``: the judge's step of nbgrader's autograde pass, from a verdict made elsewhere.

``autograder autograde`` judges notebooks in worker processes (or on Dask workers) and
keeps every gradebook write in one process: it runs nbgrader's own ``Autograde`` there
with ``JudgeExecute`` replaced by this step, which hands nbgrader the notebook a worker
judged (or the content cache holds) for exactly this sanitized notebook. Everything after
it (``SaveAutoGrades``, late penalties) is stock nbgrader, so the gradebook rows are the
ones a serial ``nbgrader autograde`` writes.

It fails closed like the judge: a notebook with no verdict stored, or whose judging
failed, gets 0 in every graded cell, with the reason.
"""

from __future__ import annotations

from nbformat import NotebookNode
from nbgrader.preprocessors.base import NbGraderPreprocessor
from traitlets import Bool, List, Unicode

from autograder import feedback
from autograder.judged_store import JudgedStore, notebook_key, submission_digest
from autograder.verdict import is_test_cell, score_cell, write_outputs


class ReplayJudged(NbGraderPreprocessor):
    """Put the stored verdict for this notebook in place of executing it."""

    fingerprint = Unicode(help="judge_fingerprint of this batch (autograder.judged_store).").tag(config=True)
    results_dir = Unicode(help="This batch's JudgedStore (verdicts and failures).").tag(config=True)
    cache_dir = Unicode("", help="The content cache's JudgedStore; empty: no cache.").tag(config=True)
    reused = Bool(False, help="The verdict was made for another submission with the same key.").tag(
        config=True
    )
    submitted_dir = Unicode(help="nbgrader's submitted/ folder, to record what was graded.").tag(config=True)
    feedback_languages = List(Unicode(), ["zh", "en"], help="Languages of the feedback, in order.").tag(
        config=True
    )

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        key = notebook_key(self.fingerprint, nb)
        found = JudgedStore(self.results_dir).get(key)
        if found is None and self.cache_dir:
            found = JudgedStore(self.cache_dir).get(key)
        if isinstance(found, NotebookNode):
            judged = found
            failure = ""
        else:
            failure = found or "no verdict was stored for this notebook (did it change while it was graded?)"
            judged = self._zero(nb, failure)
        ids = resources["nbgrader"]
        folder = f"{self.submitted_dir}/{ids['student']}/{ids['assignment']}"
        judged.metadata.setdefault("autograder", {})["batch"] = {
            "fingerprint": self.fingerprint,
            "submission": submission_digest(folder),
            "key": key,
            "cached": self.reused and not failure,
            "failed": bool(failure),
        }
        return judged, resources

    def _zero(self, nb: NotebookNode, failure: str) -> NotebookNode:
        problem = feedback.message("grader_error", self.feedback_languages, detail=failure[:500])
        for cell in nb.cells:
            if is_test_cell(cell):
                points = float(cell.metadata.nbgrader.get("points", 0))
                verdict = score_cell(
                    cell.metadata.nbgrader["grade_id"], points, [], problem, self.feedback_languages
                )
                write_outputs(cell, verdict, self.feedback_languages)
        nb.metadata["autograder"] = dict(nb.metadata.get("autograder", {})) | {"problem": problem}
        return nb
