"""WTForms classes, one module per feature, all on one CSRF-protected base form."""
