"""The look: light and dark themes, zoom, colours and the style of plots."""
