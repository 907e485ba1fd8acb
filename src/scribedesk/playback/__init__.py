"""Audio transport without widgets: player, transport rules, pedals, hotkeys, waveform."""
