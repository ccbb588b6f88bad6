"""Before/after analysis of infusion series. Pure: plain data in (``History``), plain results out."""
