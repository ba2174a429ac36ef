"""One page of a PDF as a PNG: the clerk's preview, drawn by PDFium in this process.

The PDF comes from the converter pool (so the preview is the page LibreOffice prints);
this module only rasterises it, with ``pypdfium2`` (PDFium's own wheel from PyPI: no
subprocess, nothing of the user's reaches a shell). No Flask here, like the rest of
``docgen.pdf``. Bounded: the image is at most :data:`MAX_WIDTH` × :data:`MAX_HEIGHT`
pixels whatever the page size, and only a page that exists is drawn::

    png = page_png(pdf_bytes, page=1)          # PagePng(content=b'\\x89PNG…', pages=2, …)

PDFium is not thread-safe, so every call holds one process-wide lock; drawing an A4
page at the preview's width and writing its PNG takes some 60 ms
(``benchmarks/preview.py``), a fraction of the conversion. The PNG is written with
the standard library (zlib level 3: the size of level 6 in half the time), so Pillow
is not needed.

Errors (leaves of ``docgen.errors``' tree): ``invalid_preview_page`` (400, a page the
document does not have) and ``preview_unavailable`` (503, ``pypdfium2`` missing).
"""

from __future__ import annotations

import struct
import threading
import zlib
from dataclasses import dataclass

from docgen.errors import ConversionError, InputError

__all__ = ["DEFAULT_WIDTH", "MAX_HEIGHT", "MAX_PAGE", "MAX_WIDTH", "InvalidPreviewPageError",
           "PagePng", "PreviewUnavailableError", "encode_png", "page_png", "parse_page"]

#: An A4 page at this width reads like paper beside the form (about 109 dpi).
DEFAULT_WIDTH = 900
#: No preview is larger than this, whatever page size the template sets.
MAX_WIDTH = 1600
MAX_HEIGHT = 2300
#: The highest page number a caller may ask for (documents here run to a few pages).
MAX_PAGE = 200

_PDFIUM_LOCK = threading.Lock()


class InvalidPreviewPageError(InputError):
    code = "invalid_preview_page"
    title = "Trang xem trước không hợp lệ"
    status = 400


class PreviewUnavailableError(ConversionError):
    code = "preview_unavailable"
    title = "Không xem trước được"
    status = 503


@dataclass(frozen=True)
class PagePng:
    """The PNG of one page, and how many pages the document has (for "Trang 1/3")."""

    content: bytes
    page: int
    pages: int
    width: int
    height: int


def parse_page(text: str | None) -> int:
    """``?page=`` as a page number: absent means 1; otherwise 1 … :data:`MAX_PAGE`.

    >>> parse_page(None), parse_page("3")
    (1, 3)
    """
    if text is None or text == "":
        return 1
    if not text.isascii() or not text.isdigit() or len(text) > 4 or not 1 <= int(text) <= MAX_PAGE:
        raise InvalidPreviewPageError(
            f"Số trang xem trước phải là số nguyên từ 1 đến {MAX_PAGE}, không phải '{text[:20]}'.")
    return int(text)


def encode_png(rgb: bytes, width: int, height: int, stride: int) -> bytes:
    """8-bit RGB rows (``stride`` bytes apart) as a PNG file: IHDR, one IDAT, IEND.

    >>> encode_png(b"\\xff\\x00\\x00", 1, 1, 3)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    row = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride:y * stride + row] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit truecolour
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 3)) + chunk(b"IEND", b""))


def page_png(pdf: bytes, page: int = 1, *, width: int = DEFAULT_WIDTH) -> PagePng:
    """Page ``page`` (1-based) of ``pdf`` drawn ``width`` pixels wide, as a PNG.

    The scale keeps the image within :data:`MAX_WIDTH` × :data:`MAX_HEIGHT`; a page
    past the end raises :class:`InvalidPreviewPageError` naming how many there are.
    """
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError as exc:  # the `pdf` extra not installed
        raise PreviewUnavailableError(
            "Máy chủ chưa cài gói pypdfium2 (pip install 'docgen[pdf]') nên không xem trước "
            "được; tải văn bản vẫn được.") from exc
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(pdf)
        except pdfium.PdfiumError as exc:
            raise ConversionError("Không đọc được tệp PDF để xem trước.") from exc
        try:
            pages = len(document)
            if not 1 <= page <= pages:
                raise InvalidPreviewPageError(
                    f"Văn bản có {pages} trang; không có trang {page} để xem trước.")
            pdf_page = document[page - 1]
            page_width, page_height = pdf_page.get_size()  # points
            scale = min(min(width, MAX_WIDTH) / page_width, MAX_HEIGHT / page_height)
            # Opaque white, three bytes a pixel in RGB order: what encode_png writes.
            bitmap = pdf_page.render(scale=scale, fill_color=(255, 255, 255, 255),
                                     force_bitmap_format=pdfium_c.FPDFBitmap_BGR,
                                     rev_byteorder=True)
            content = encode_png(bytes(bitmap.buffer), bitmap.width, bitmap.height,
                                 bitmap.stride)
            return PagePng(content, page, pages, bitmap.width, bitmap.height)
        finally:
            document.close()
