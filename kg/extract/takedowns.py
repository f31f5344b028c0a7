"""Takedowns: ``Platform -removed-> Network`` with counts, dates and attributions.

Steps, one module each: (1) ``mentions``: find removal mentions (triggers, agents, objects,
counts, dates), with the states and organisations each sentence ties them to
(``attribution``); (2) ``carry``: attributions said in the sentences after a removal;
(3) ``networks``: group the mentions of one article into one record per network.
"""

from __future__ import annotations

from kg.extract.attribution import network_nouns, sentence_attributions
from kg.extract.carry import companions, continue_attributions, inherit_states, summary_parts
from kg.extract.context import ArticleContext
from kg.extract.mentions import Mention, find_mentions
from kg.extract.networks import cluster
from kg.records import Takedown

__all__ = ["Mention", "extract_takedowns", "network_nouns", "sentence_attributions"]


def extract_takedowns(ctx: ArticleContext) -> tuple[list[Takedown], list[Mention]]:
    mentions = find_mentions(ctx)
    continue_attributions(ctx, mentions)
    inherit_states(mentions)
    summary_parts(ctx, mentions)
    companions(mentions)
    return cluster(mentions), mentions
