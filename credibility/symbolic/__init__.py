"""Symbolic analyses: regions of the parameter space and the thresholds between them."""
