"""Ingestion of submissions (report contract v1): validate, load atomically, file away."""

from antt.config import FileAreas
from antt.ingest.filename import FileName, FileNameError, parse_file_name
from antt.ingest.issues import ValidationIssue
from antt.ingest.pipeline import IngestOutcome, expand_paths, ingest_file, ingest_paths

__all__ = [
    "FileAreas",
    "FileName",
    "FileNameError",
    "IngestOutcome",
    "ValidationIssue",
    "expand_paths",
    "ingest_file",
    "ingest_paths",
    "parse_file_name",
]
