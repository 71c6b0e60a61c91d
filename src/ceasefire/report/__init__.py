"""Reports: one self-contained HTML file of a run (inline SVG, no network)."""
