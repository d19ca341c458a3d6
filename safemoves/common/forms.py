from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form


def add_validation_error(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message on its field, or on the
    form as a whole when it names no field of this form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)
