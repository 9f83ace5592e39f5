"""Storage: the on-disk Oxigraph store, output folders written atomically, the build cache and manifest."""
