"""nbgrader configuration for this course directory.

The one change from stock nbgrader: autograding runs ``JudgeExecute`` instead of
``Execute``, so graded test cells are scored by hidden checks in the grader process
(``solutions/``), never by code running in the student's kernel. See docs/trust-model.md.
"""

import os

from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute

from autograder.preprocessors import JudgeExecute

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

COURSE_ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = COURSE_ROOT
c.CourseDirectory.course_id = "keras-course"

c.Autograde.autograde_preprocessors = [
    JudgeExecute if step is Execute else step
    for step in Autograde.class_traits()["autograde_preprocessors"].default()
]

# The judge: limits and grading knobs (see README, "Grading limits").
c.JudgeExecute.course_root = COURSE_ROOT
c.JudgeExecute.timeout = 300  # seconds per student cell
c.JudgeExecute.notebook_timeout = 1800  # seconds for all of a notebook's cells
c.JudgeExecute.checks_timeout = 900  # seconds for one notebook's hidden checks
c.JudgeExecute.call_timeout = 20  # seconds per call from a check into the student's kernel
c.JudgeExecute.max_examples = 25  # hypothesis examples per check (derandomized)
c.JudgeExecute.feedback_languages = ["zh", "en"]

# The student's kernel when grading as root: its own unprivileged uid, no network, capped memory.
c.SandboxedKernelManager.memory_limit = "4G"
c.SandboxedKernelManager.process_limit = 4096
c.SandboxedKernelManager.isolate_network = True
