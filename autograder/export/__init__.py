"""nbgrader export plugins for LMS gradebooks: ``nbgrader export --exporter=autograder.export.X``."""

from autograder.export.canvas import CanvasExporter
from autograder.export.gradescope import GradescopeExporter
from autograder.export.moodle import MoodleExporter

__all__ = ["CanvasExporter", "GradescopeExporter", "MoodleExporter"]
