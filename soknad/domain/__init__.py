"""The domain core: the regulation's rules in plain Python.

Nothing here imports Flask, SQLAlchemy, WTForms, docxtpl or APScheduler
(``tests/unit/test_architecture.py`` checks this). Functions take and return dataclasses,
enums and primitives, so every rule can be tested as a table without an app or a database.
"""
