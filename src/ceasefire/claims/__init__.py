"""From article to scenario: quantitative claims, their checks and sources."""
