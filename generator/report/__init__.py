"""Reports: plan summaries and other human/machine-readable outputs."""
