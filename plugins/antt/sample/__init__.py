"""`antt sample`: a realistic, deterministic submission set for one province (see sample_set.py)."""

from antt.sample.manifest import SampleFile, SampleManifest, load_manifest
from antt.sample.sample_set import GENERATOR_VERSION, SEED, generate

__all__ = ["GENERATOR_VERSION", "SEED", "SampleFile", "SampleManifest", "generate", "load_manifest"]
