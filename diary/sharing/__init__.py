"""Sharing with clinicians: read-only links, the one-page report, and the patient's exports."""
