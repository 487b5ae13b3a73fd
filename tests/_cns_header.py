"""The header of a CNS North Korea Missile Test Database CSV, for the tests that make CNS files.

Not a fixture: test modules build their CSV texts at import time. Imported as
``from _cns_header import CNS_HEADER`` (pytest puts ``tests/`` on ``sys.path`` for its
``conftest.py``, as it does for ``bad_input.conftest``).
"""

CNS_HEADER = [
    "F1", "Date", "Date Entered/Updated", "Launch Time (UTC)", "Missile Name", "Missile Type",
    "Launch Agency/Authority", "Facility Name", "Facility Location", "Other Name", "Facility Latitude",
    "Facility Longitude", "Landing Location", "Apogee", "Distance Travelled", "Confirmation Status",
    "Test Outcome", "Additional Information", "Source(s)",
]  # fmt: skip
