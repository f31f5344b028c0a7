"""One exception hierarchy; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations


class KGError(Exception):
    """Base of every error the library raises on purpose. ``exit_code`` is what the CLI returns."""

    exit_code = 2


class InputError(KGError):
    """An input file or folder is unreadable or malformed; the message names the file."""


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded."""


class GraphError(KGError):
    """A graph file cannot be parsed or written."""


class GoldError(KGError):
    """A gold or prediction file for ``kg eval`` is malformed."""


class QueryError(KGError):
    """A SPARQL query is malformed or names an unknown question."""


class ValidationFailed(KGError):
    """A graph does not conform to the SHACL shapes (exit 1, not an input error)."""

    exit_code = 1


class RemoteError(KGError):
    """A remote store refused or could not be reached."""


class ClusterError(KGError):
    """A Dask scheduler cannot be reached, or the cluster cannot finish the build."""


class ServeError(KGError):
    """``kg serve`` cannot start: the oxigraph server is missing, a port is taken, or it stopped."""


class DependencyError(KGError):
    """An optional extra a command needs is not installed (the message names the pip extra)."""


class BusyError(KGError):
    """Another build is writing into the same output folder (the message names its process)."""
