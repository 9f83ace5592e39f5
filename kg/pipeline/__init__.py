"""The build: files -> knowledge graph, in memory or into an on-disk store, incremental, on local processes or a Dask cluster."""
