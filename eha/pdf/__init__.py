"""The workbook's PDF documents, drawn with reportlab: the only package that imports it.

- `eha.pdf.text`: the fonts, the paragraph styles, user text made literal (`para`, `field`).
- `eha.pdf.layout`: headings with bookmarks, tables, pictures, the page frame (`render`),
  password protection (`encrypt`).

Nothing is imported here, so importing one module never pulls in the others.
"""
