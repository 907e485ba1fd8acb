"""USB foot pedals: report layouts, decoding, learn mode, device backends and hot-plug."""
