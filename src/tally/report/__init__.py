"""Turning records into tables, JSON and CSV for people and scripts."""
