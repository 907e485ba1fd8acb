"""PySide6 widgets and windows; the only layer (with app.py and config/) that imports Qt."""
