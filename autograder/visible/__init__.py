"""Visible checks (可见检查) that students run inside the assignment notebooks."""
