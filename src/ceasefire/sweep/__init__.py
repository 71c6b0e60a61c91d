"""Resumable sweeps over scenario fields."""
