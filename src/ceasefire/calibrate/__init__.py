"""Calibration to observations and scored backtests."""
