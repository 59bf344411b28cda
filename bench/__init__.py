"""`python -m bench` (`make bench`): performance figures, one per line as `name=value unit`."""
