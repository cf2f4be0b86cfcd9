"""Cycles, catalogue, proposals, surveys and final decisions."""
