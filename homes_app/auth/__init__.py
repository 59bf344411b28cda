"""Accounts, roles, home scoping, log-in and lockout."""
