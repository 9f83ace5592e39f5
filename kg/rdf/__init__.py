"""The RDF model: the ontology's closed namespace and IRIs, extractions written as RDF, provenance, validation, reference facts."""
