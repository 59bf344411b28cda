"""Homes, their conditions of registration, beds and bed states."""
