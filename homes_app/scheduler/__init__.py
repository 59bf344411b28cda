"""The scheduler: one declared list of jobs, a leader lease, and a record of every run."""
