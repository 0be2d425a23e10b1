"""Studies: manifests of samples and files, run through every technique to one output."""
