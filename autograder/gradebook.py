"""The gradebook a course's nbgrader is configured with (``CourseDirectory.db_url``).

``autograder autograde``, ``report`` and ``roster import`` open the same gradebook
``nbgrader autograde`` writes: SQLite by default, or a PostgreSQL server named in the
course's ``nbgrader_config.py``.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from sqlalchemy.engine import make_url
from traitlets.config import Config
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader


def course_gradebook(course: Path) -> tuple[str, str]:
    """The db_url and course id nbgrader uses in ``course``, honouring its nbgrader_config.py."""
    if not course.is_dir():
        raise FileNotFoundError(f"no course directory {course}")
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    except ConfigFileNotFound:
        config = Config()
    # nbgrader runs in the course directory, so a relative root is relative to it.
    root = (course / config.CourseDirectory.get("root", "")).resolve()
    coursedir = CourseDirectory(config=config, root=str(root))
    return coursedir.db_url, coursedir.course_id


def missing_sqlite_file(db_url: str) -> Path | None:
    """The file of a SQLite gradebook that does not exist yet (opening it would create it), else None."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return None
    database = Path(url.database or "")
    return None if database.exists() else database
