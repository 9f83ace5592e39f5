"""Learning: the model's training data made from annotated articles, training, and what it is judged on."""
