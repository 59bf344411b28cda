"""Retention: the rule for each record type, the review that finds records past retention,
and the disposal an administrator confirms (docs/retention.md)."""
