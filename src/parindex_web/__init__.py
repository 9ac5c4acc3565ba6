"""parindex_web: the Django shell over the pure parindex core."""
