"""The knowledge graph you hold: :class:`~kg.graph.knowledge.KnowledgeGraph` (query, evidence, save), a SPARQL server's graph, exports, the Jupyter magic."""
