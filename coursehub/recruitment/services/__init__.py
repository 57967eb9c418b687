"""Every write of recruitment, split by subject: `registration` (the public form and withdrawal),
`cases` (steps, closing, assignment, notes, requirements), `checks` (checklists and register
checks). The presentation, matching and into-the-courses services live beside them.
"""
