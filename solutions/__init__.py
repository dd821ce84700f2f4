"""Reference solutions and hidden checks. Never released, never readable by a student's kernel."""
