"""cib-kg: a knowledge-graph builder for reports of coordinated inauthentic behaviour."""

__version__ = "0.1.0"
