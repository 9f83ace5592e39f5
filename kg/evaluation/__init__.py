"""Evaluation: scores against gold annotations, errors by cause, training corpora and cross-validation."""
