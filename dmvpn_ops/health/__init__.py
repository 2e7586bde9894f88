"""health stage: nightly run (nightly.run_health), versioned records (record), trends (trend.compare), history store and run lock."""
