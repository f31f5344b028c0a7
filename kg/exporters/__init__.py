"""Exporters: render the graph for people (HTML) and other tools."""
