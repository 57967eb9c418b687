"""Public pages: the start page, the accessibility statement and the language switch."""
