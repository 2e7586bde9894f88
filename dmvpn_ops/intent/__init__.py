"""intent stage."""
