"""nbgrader preprocessors of the judge (configured in ``nbgrader_config.py``)."""

from autograder.preprocessors.judge import JudgeExecute

__all__ = ["JudgeExecute"]
