"""python -m jtai_docs: the same as the jtai-docs command."""

from .cli import run

run()
