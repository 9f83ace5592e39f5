"""Extraction: a Document -> sentences, mentions, entities and assertions (rules, lexicons and reference lists as data)."""
