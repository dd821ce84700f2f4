"""The ``training_loop`` assignment: reference solution and hidden checks."""
