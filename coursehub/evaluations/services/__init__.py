"""Every write of the evaluations area: forms (forms.py), askings and their links (asking.py),
course evaluations (course.py) and answering (answering.py)."""
