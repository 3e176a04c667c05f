"""Views, one module per first URL segment: ``/review/…`` is served by ``review.py``.

``lifecycle.py`` holds the views every kind of versioned writing shares (create, edit,
autosave, history, restore, conflict, trash), with their URLs generated from the kind.
"""
