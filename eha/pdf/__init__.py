"""The workbook's PDF documents: the only package that imports reportlab."""
