"""The HTML report: one self-contained file built from results and figures."""
