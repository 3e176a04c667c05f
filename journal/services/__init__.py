"""Writes that touch several models, by subject: entries, repairs, commitments.

Services take plain values, never form objects. Export and import jobs live with the
background tasks in ``journal/tasks.py``.
"""
