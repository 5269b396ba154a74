"""Trying and tuning the line without a phone: the pretend phone, simulator, flow map, timing, prompt check."""
