"""Documents: letters, statements, plans, settlements, case files (Typst PDFs) and e-mail bodies."""
