"""Demo data: a fictional council's homes, people and two years of moves (`flask demo-data`)."""
