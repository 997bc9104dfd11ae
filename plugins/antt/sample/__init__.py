"""`antt sample`: a realistic, deterministic submission set for one province (see generate.py)."""

from antt.sample.sample_set import (
    GENERATOR_VERSION,
    SEED,
    SampleFile,
    SampleManifest,
    generate,
    load_manifest,
)

__all__ = ["GENERATOR_VERSION", "SEED", "SampleFile", "SampleManifest", "generate", "load_manifest"]
