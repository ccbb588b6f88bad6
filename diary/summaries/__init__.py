"""Each patient's summary for the clinic's dashboard, stored in the database and kept fresh.

``facts`` (what the diary says, computed once per change) and ``reading`` (the facts on a given
day: the dashboard's line and its flags) are pure; ``store`` computes, stores and reads them.
"""
