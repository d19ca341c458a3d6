from __future__ import annotations

from django import forms

from safemoves.organisations.models import Role


class InviteForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Work e-mail address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="New role", choices=Role.choices)
