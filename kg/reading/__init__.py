"""Reading: files and folders -> Documents (formats, encodings, newspaper pages split into articles, traditional characters)."""
