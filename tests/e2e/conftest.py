from playwright.sync_api import expect

# A loaded 2-core machine (CI runs PostgreSQL, Streamlit and Chromium side by side) can take
# several seconds to redraw; waiting longer changes no outcome, it only stops false failures.
expect.set_options(timeout=15_000)
