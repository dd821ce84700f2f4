"""The ``activations`` assignment: reference solution and hidden checks."""
