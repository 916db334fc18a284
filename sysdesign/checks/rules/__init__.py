"""Rule modules, one per family; importing them registers their rules."""
