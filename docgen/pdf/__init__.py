"""PDF output: a supervised pool of warm LibreOffice instances.

No Flask here (see README.md): the web layer, the CLI and the batch runner call
:class:`ConverterPool` through the ``Converter`` protocol in
:mod:`docgen.rendering`.

    >>> from docgen.pdf import ConverterPool, libreoffice_available
    >>> ok, why = libreoffice_available()                   # doctest: +SKIP
    >>> with ConverterPool(workers=2) as pool:              # doctest: +SKIP
    ...     pdf = pool.convert(docx_bytes, pdfa="2b")
"""

from __future__ import annotations

from docgen.pdf._discovery import libreoffice_available
from docgen.pdf.fonts import font_report
from docgen.pdf.pool import PDFA_VERSIONS, ConverterPool

__all__ = ["PDFA_VERSIONS", "ConverterPool", "font_report", "libreoffice_available"]
