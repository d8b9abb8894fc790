"""Thin ipywidgets wrappers around the drawing functions in cnnlib.viz, one module per topic.
Each widget redraws through a viz function; the notebooks show a static figure from the same
function beside it (widgets do not respond on GitHub or nbviewer)."""
