"""The public online form of a questionnaire, answered with one-time codes (``docs/surveys.md``,
"The online form").

The secretariat of a cycle generates a batch of codes for a questionnaire and a unit; each code,
printed on a receipt with its QR code, opens the form once. Every read of the form and every
check of an answer is the core's (:func:`parindex.surveys.check_submission`); answers are stored
with :func:`parindex_web.surveys.services.record_responses` (source ``online``), without any
account, address or browser of the respondent."""
