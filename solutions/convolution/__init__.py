"""The ``convolution`` assignment: reference solution and hidden checks."""
