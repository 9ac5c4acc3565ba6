"""Helpers that belong to no app."""
