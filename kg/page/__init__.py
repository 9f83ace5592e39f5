"""The interactive HTML page of a knowledge graph (template, script and stylesheet in ``web/``)."""
