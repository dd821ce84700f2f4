"""nbgrader configuration for this course directory.

The main change from stock nbgrader: autograding runs ``JudgeExecute`` instead of
``Execute``, so graded test cells are scored by hidden checks in the grader process
(``solutions/``), never by code running in the student's kernel. See docs/trust-model.md.
Feedback pages also get a summary table at the top (``FeedbackSummary``), and every page that
shows a submission (feedback, formgrader) shows what the student wrote or displayed as inert HTML
(``SanitizeStudentContent``).
"""

import functools
import os

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute, GetGrades

from autograder.hooks import before_autograde
from autograder.intake import SubmissionExporter, active_content_patterns
from autograder.preprocessors import FeedbackSummary, JudgeExecute, SanitizeStudentContent

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = "keras-course"

c.Autograde.autograde_preprocessors = [
    JudgeExecute if step is Execute else step
    for step in Autograde.class_traits()["autograde_preprocessors"].default()
]

# The judge: limits and grading knobs (see docs/tas.md, "Grading limits"). Time and memory limits are each
# assignment's own, in solutions/<assignment>/grading.toml (cell, notebook, checks and call time, kernel
# memory); one set here or on the command line (--JudgeExecute.timeout=600) wins for every assignment.
c.JudgeExecute.course_root = COURSE_ROOT
c.JudgeExecute.max_examples = 25  # hypothesis examples per check (derandomized)
c.JudgeExecute.max_output_bytes = 2_000_000  # output kept per student cell
c.JudgeExecute.max_notebook_output_bytes = 20_000_000  # every message a kernel sends, counted together
c.JudgeExecute.max_notebook_bytes = 50_000_000  # the autograded notebook, hard cap
c.JudgeExecute.feedback_languages = ["zh", "en"]

# The student's kernel: its own unprivileged uid, no network, capped processes and scratch space (its memory
# and CPU time are each assignment's, in grading.toml).
c.SandboxedKernelManager.sandbox = "required"  # no root, namespaces or cgroups: grading stops and says why
c.SandboxedKernelManager.process_limit = 4096  # processes and threads
c.SandboxedKernelManager.file_size_limit = "1G"
c.SandboxedKernelManager.tmp_size = "1G"  # its own /tmp, /var/tmp and /dev/shm
c.SandboxedKernelManager.isolate_network = True

# What a student wrote or displayed (Markdown, HTML, JavaScript, SVG, widgets) runs nothing where staff
# and students look: both `nbgrader generate_feedback` and the formgrader's submission page render with
# an HTMLExporter built from this config, and run this step before their own (FeedbackSummary's table
# is added after it).
c.HTMLExporter.preprocessors = [SanitizeStudentContent]
c.SanitizeStudentContent.languages = c.JudgeExecute.feedback_languages

# Feedback pages open with a summary: total, points per graded cell, the checks it failed.
c.GenerateFeedback.preprocessors = [GetGrades, FeedbackSummary, CSSHTMLHeaderPreprocessor]
c.FeedbackSummary.languages = c.JudgeExecute.feedback_languages
c.FeedbackSummary.course_root = COURSE_ROOT  # each assignment's check titles are in its solutions/ folder

# Submissions that are not the notebook asked for (empty, not JSON, renamed, missing) still get a
# grade row and a reason instead of stopping nbgrader for that student (autograder/intake.py). The
# hook also stops the batch before anything is written when kernels cannot be sandboxed.
c.Autograde.exporter_class = SubmissionExporter
# A student's .html or .svg handed in beside the notebook is not copied into autograded/ or feedback/: the
# formgrader would serve it from the TA's Jupyter origin, where its scripts could act as the TA.
c.CourseDirectory.ignore = [*CourseDirectory.class_traits()["ignore"].default(), *active_content_patterns()]
c.Autograde.pre_convert_hook = functools.partial(before_autograde, course_root=COURSE_ROOT)
