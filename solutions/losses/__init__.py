"""The ``losses`` assignment: reference solution and hidden checks."""
