"""Family Star Plus: the ten areas, the 1-10 scale, readings, progress and the star chart.

Plain Python: no Streamlit, no SQL, no reportlab. Only ``star.chart`` imports plotly, so it
is not imported here; import it directly where a figure is needed.
"""

from star.areas import AREA_KEYS, AREAS, StarArea, area_by_key, stage_of
from star.config import ATTRIBUTION, AreaText, StarText, default_star_text, load_star_text
from star.errors import (
    StarConfigError,
    StarError,
    StarReadingError,
    StarScoreError,
    TooManyReadings,
)
from star.progress import (
    MAX_READINGS_TO_COMPARE,
    AreaProgress,
    Progress,
    choose_default_readings,
    progress,
    readings_to_compare,
)
from star.reading import (
    AreaScore,
    CompletedBy,
    Occasion,
    OccasionKind,
    ScoreCorrection,
    StarReading,
    order_readings,
)
from star.styles import READING_STYLES, ReadingStyle
from star.table import alt_text, chart_csv, chart_table, reading_labels

__all__ = [
    "AREAS",
    "AREA_KEYS",
    "ATTRIBUTION",
    "MAX_READINGS_TO_COMPARE",
    "READING_STYLES",
    "AreaProgress",
    "AreaScore",
    "AreaText",
    "CompletedBy",
    "Occasion",
    "OccasionKind",
    "Progress",
    "ReadingStyle",
    "ScoreCorrection",
    "StarArea",
    "StarConfigError",
    "StarError",
    "StarReading",
    "StarReadingError",
    "StarScoreError",
    "StarText",
    "TooManyReadings",
    "alt_text",
    "area_by_key",
    "chart_csv",
    "chart_table",
    "choose_default_readings",
    "default_star_text",
    "load_star_text",
    "order_readings",
    "progress",
    "reading_labels",
    "readings_to_compare",
    "stage_of",
]
