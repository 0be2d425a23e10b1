"""The bundled demo study: simulated Cd(im)2 inputs, a manifest, and their run."""
