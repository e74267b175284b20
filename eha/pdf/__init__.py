"""The workbook's PDF documents: the only package that imports reportlab."""

from eha.pdf.documents import render_document
from eha.pdf.layout import encrypt

__all__ = ["encrypt", "render_document"]
