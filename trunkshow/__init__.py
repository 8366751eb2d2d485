"""Trunk Show: interactive, shoppable brand experiences."""
