"""isic_plugins."""
