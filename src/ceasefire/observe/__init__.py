"""Observation series (loaders) and the observation models that link them to the model."""
