"""The Early Help Assessment: families, sections and the practice rules, in plain Python.

Nothing here imports Streamlit or SQLAlchemy (import-linter checks it); `storage/` persists
these objects and `pages/` draws them.
"""
