"""The live dashboard (Panel; extra `dashboard`)."""
