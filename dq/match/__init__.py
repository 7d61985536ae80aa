"""Matching: blocking, comparisons, the Fellegi–Sunter model, scoring and explanations."""
