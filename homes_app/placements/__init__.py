"""Children, their placements (stays) and moves, and occupancy."""
