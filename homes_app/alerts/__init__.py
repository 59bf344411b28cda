"""Alerts: conditions found by scheduled jobs, shown to the people who must act, emailed."""
