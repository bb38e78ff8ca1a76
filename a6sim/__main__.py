"""``python -m a6sim`` is the ``a6sim`` command."""
import sys

from .cli import main

sys.exit(main())
