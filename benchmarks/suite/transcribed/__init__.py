"""Parts of the transcription-noise generator (``benchmarks/suite/gen_transcribed.py``)."""
