"""The screens: one module per page, run by Streamlit through app.py's `st.navigation`; the
helpers the pages share start with an underscore (`_ui`, `_progress`, ...)."""
