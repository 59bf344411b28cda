"""Postcode centroids (ONS Postcode Directory, packaged) with the council's manual overrides."""
