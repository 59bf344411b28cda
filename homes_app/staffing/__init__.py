"""Staff and their compliance, the rota, minimum staffing and the relief pool."""
