"""Helpers every domain shares, each defined once: dates for people to read, SQL date
arithmetic and interval tests. Nothing here imports a domain."""
