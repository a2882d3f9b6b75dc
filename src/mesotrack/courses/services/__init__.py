"""Writes of the courses app, each atomic, role-checked and audited."""
