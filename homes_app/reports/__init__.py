"""Reports for service directors: occupancy, moves, local placement, cost and staffing."""
