"""The benchmark of `make bench`: synthetic data at city and national scale, and the harness."""
