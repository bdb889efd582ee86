"""Size limits on input, in one place.

Every reader checks its input against these bounds before (or while) it works, so
that a hostile or broken file ends in a one-line error instead of hours of work,
gigabytes of memory or a crash.  The defaults are far above every model of the
public corpus (the largest rule there has 1.3 million characters, the largest model
about 1,100 nodes, the largest ``maxLevel`` 4).

A reader takes the module attribute :data:`LIMITS` at call time; tests and users who
need other bounds replace it with :func:`dataclasses.replace`.

Examples
--------
>>> LIMITS.line_chars >= 1_400_000
True
>>> from dataclasses import replace
>>> replace(LIMITS, nodes=10).nodes
10
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits", "LIMITS"]


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what signet reads.

    Attributes
    ----------
    file_bytes
        Largest model, metadata or table file read (bytes).
    line_chars
        Longest line of a text model (characters); a bnet rule is one line.
    nodes
        Most nodes in a model.
    yaml_bytes
        Largest metadata or expectations YAML text (characters).
    yaml_nodes
        Most YAML values in a document, counting every alias at its full size (so an
        alias bomb is refused before anything is expanded).
    yaml_depth
        Deepest nesting of YAML collections.
    integer_digits
        Longest integer literal in YAML (a node level needs one digit).
    sbml_max_level
        Largest ``qual:maxLevel`` of an SBML-qual species.
    xml_depth
        Deepest nesting of XML elements in SBML (read and written; libsbml is recursive).
    sbml_arity
        Most arguments of an SBML ``xor`` (its Boolean form grows with the square of the
        arity; ``and``/``or`` are not limited).
    csv_field_bytes
        Largest field of a CSV table read by ``signet plot``.
    """

    file_bytes: int = 256 * 1024 * 1024
    line_chars: int = 16 * 1024 * 1024
    nodes: int = 1_000_000
    yaml_bytes: int = 16 * 1024 * 1024
    yaml_nodes: int = 1_000_000
    yaml_depth: int = 64
    integer_digits: int = 18
    sbml_max_level: int = 100
    xml_depth: int = 1_000
    sbml_arity: int = 64
    csv_field_bytes: int = 16 * 1024 * 1024


#: The limits in force (replace the whole object to change them).
LIMITS = Limits()
