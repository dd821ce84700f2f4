"""The ``first_network`` assignment: reference solution and hidden checks."""
