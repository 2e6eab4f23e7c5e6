"""Put <repo>/hooks on sys.path so tests can import the `reader` package."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
