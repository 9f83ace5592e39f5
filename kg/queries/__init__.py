"""SPARQL: the named queries (``*.rq`` files of this folder), bindings, results as dicts or DataFrames."""
