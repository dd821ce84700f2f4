"""nbgrader preprocessors of the judge and its feedback (configured in ``nbgrader_config.py``)."""

from autograder.preprocessors.judge import JudgeExecute
from autograder.preprocessors.sanitize import SanitizeStudentContent
from autograder.preprocessors.summary import FeedbackSummary

__all__ = ["FeedbackSummary", "JudgeExecute", "SanitizeStudentContent"]
