"""Formatters: one module per command family, printing exactly what IOS prints."""
