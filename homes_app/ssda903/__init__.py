"""The DfE's SSDA903 (children looked after) header and episodes files for these homes."""
