"""Files into structured documents: ``parse_file(path) -> Document``.

Readers (pdf.py, markdown.py) turn bytes into a ``SourceText``; structure
parsers (factsheet.py, convention.py, generic.py) turn a ``SourceText`` into a
``Document`` with ordered ``Block``s. Parsing never touches the index.
"""
