"""Questionnaires (XLSForm) of a cycle in the shell: upload, list, questions and download.

Every parse and check is the core's (:func:`parindex.surveys.validate_xlsform`); the shell stores
the workbook's bytes as they came and shows what the core read (``docs/surveys.md``)."""
