"""Reconciliation: who is who, syndicated copies, figure groups, conflicts and checks."""
