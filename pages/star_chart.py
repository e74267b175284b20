"""The star chart across reviews: first against latest by default, up to four readings,
with the numbers beside it, a text description and a CSV download."""

from __future__ import annotations

import streamlit as st

from pages import _addresses, _ui
from pages import _star_shared as _star
from star import MAX_READINGS_TO_COMPARE, TooManyReadings, alt_text, chart_csv, chart_table, choose_default_readings
from star.chart import radar_figure
from star.table import CHANGE_COLUMN


def _cell(column: str, value: object) -> str:
    """As a person reads it: a dash for an area not scored, a sign on a change."""
    if value is None:
        return "–"
    if column == CHANGE_COLUMN and isinstance(value, int) and value > 0:
        return f"+{value}"
    return str(value)


wb, actor, a, text, readings = _star.open_page()

# Chart and table side by side on a wide screen; on a tablet or a laptop with the sidebar open,
# one above the other, so the area names round the star and the table's columns are never cut
# off (at 1280px the side-by-side star clipped "Home and money").
st.html(
    """<style>
    @media (max-width: 1500px) {
      .st-key-star-chart-row [data-testid="stHorizontalBlock"] { flex-direction: column; }
      .st-key-star-chart-row [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
    }
    </style>"""
)

st.caption(f"Family {_ui.label_text(a.reference)} · Early Help Assessment · {a.status.label}")
st.title("Family Star Plus chart")
if not readings:
    st.info("No Family Star Plus readings yet for this assessment.")
    st.page_link(
        _addresses.STAR.path,
        label="Score the first reading",
        icon=":material/star:",
        query_params={"assessment": a.assessment_id},
    )
    _star.attribution(text)
    st.stop()

by_id = {saved.reading.id: saved.reading for saved in readings}
default = [reading.id for reading in choose_default_readings(by_id.values())]
chosen_ids = st.multiselect(
    f"Readings to show (up to {MAX_READINGS_TO_COMPARE})",
    list(by_id),
    default=default,
    format_func=lambda reading_id: by_id[reading_id].label,
    key=f"star-chart:{a.assessment_id}",
    help="The first and the latest reading are shown to begin with.",
)
chosen = [by_id[reading_id] for reading_id in chosen_ids]

if not chosen:
    st.info("Choose at least one reading to draw the star.")
else:
    try:
        figure = radar_figure(chosen, labels=text)
        table = chart_table(chosen, labels=text)
        description = alt_text(chosen, labels=text)
        csv_text = chart_csv(chosen, labels=text)
    except TooManyReadings as exc:
        st.error(
            f"{_ui.literal(str(exc))}: the shapes stop being readable when more are drawn over each other.",
            icon=":material/error:",
        )
    else:
        with st.container(key="star-chart-row"):
            star_column, table_column = st.columns([3, 2], gap="medium")
        with star_column:
            st.plotly_chart(
                figure, theme=None, config={"displayModeBar": False, "responsive": True}, key="star-chart", height=540
            )
        with table_column:
            # A dataframe, not st.table: its cells are shown as text, never read as markdown.
            st.dataframe(
                [{name: _cell(name, value) for name, value in row.items()} for row in table],
                hide_index=True,
                width="stretch",
            )
            st.caption("Change is from the first to the latest reading shown; an empty cell is an area not scored.")
            st.download_button(
                "Download the table (CSV)",
                data=csv_text,
                file_name=f"family-star-{a.reference}.csv",
                mime="text/csv",
                icon=":material/download:",
            )
        with st.expander("Describe the chart in words"):
            st.markdown(_ui.literal(description))

st.subheader("Readings")
_star.reading_list(a, readings, page=_addresses.STAR.path, action="Open")

# A locked reading changes only by a correction with a reason; both scores stay on record.
corrected = [saved for saved in readings if saved.reading.corrections]
correctable = [saved for saved in readings if saved.locked and a.editable]
if corrected or correctable:
    st.subheader("Corrections")
    st.caption("A reading is locked once a later one is scored or its TAF meeting is finalised.")
for saved in corrected:
    st.markdown(f"**{_ui.literal(saved.reading.label)}**")
    _star.corrections(saved, text)
for saved in correctable:
    _star.correction_form(a, saved, text)
_star.attribution(text)
