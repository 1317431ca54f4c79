"""The rendering toolkit every job shares: DOCX sandbox, document kinds, template lint, PDF layout, XLSX, charts."""
