"""Running homes_app in production: health and readiness, metrics, error reports."""
