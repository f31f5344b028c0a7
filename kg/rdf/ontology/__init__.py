"""Package data: the cib-kg OWL ontology (``cib.ttl``), shipped so an installed ``kg`` finds it."""
