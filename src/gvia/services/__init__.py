"""The service layer: one function per use case. Entry points (CLI, web, API) call these."""
