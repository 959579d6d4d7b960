"""Leave no one behind: who is furthest behind, by how much, and is the gap closing.
``gaps``: from published disaggregations; ``survey``/``tree``: from survey microdata."""
