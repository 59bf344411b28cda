"""Helpers every domain shares, each defined once: dates for people to read, SQL date
arithmetic and interval tests, cells for CSV and Excel files. Nothing here imports a domain."""
