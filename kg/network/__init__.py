"""The network view: networkx graphs of a knowledge graph and plain analysis functions over them."""
