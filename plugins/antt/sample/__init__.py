"""`antt sample`: a realistic, deterministic submission set for one province (see generate.py)."""

from antt.sample.generate import (
    GENERATOR_VERSION,
    SEED,
    SampleFile,
    SampleManifest,
    generate,
    load_manifest,
)

__all__ = ["GENERATOR_VERSION", "SEED", "SampleFile", "SampleManifest", "generate", "load_manifest"]
