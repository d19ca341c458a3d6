from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safemoves.intake"
    label = "intake"
    verbose_name = "Public intake: agency referrals and the contact-me page"
