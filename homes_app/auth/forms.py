"""Sign-in, set-password, two-factor and session forms."""
from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..web import CheckedForm


class LoginForm(CheckedForm):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(CheckedForm):
    password = PasswordField(
        "New password", widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[DataRequired("Enter a new password"),
                    Length(min=12, max=128, message="Password must be 12 to 128 characters")])
    confirm = PasswordField("Confirm new password", widget=GovPasswordInput(),
                            validators=[DataRequired("Enter the password again"),
                                        EqualTo("password", "The passwords do not match")])
    submit = SubmitField("Set password", widget=GovSubmitInput())


class CodeForm(CheckedForm):
    code = StringField(
        "Code", widget=GovTextInput(),
        description="The 6-digit code your authenticator app shows now, or one of your "
                    "recovery codes",
        validators=[DataRequired("Enter the code from your authenticator app"),
                    Length(max=20, message="Enter the 6-digit code from your app")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolForm(CheckedForm):
    code = StringField(
        "Code from your app", widget=GovTextInput(),
        description="After adding the account, enter the 6-digit code your app shows",
        validators=[DataRequired("Enter the 6-digit code from your authenticator app"),
                    Length(max=20, message="Enter the 6-digit code from your app")])
    submit = SubmitField("Turn on two-factor authentication", widget=GovSubmitInput())


class TurnOffForm(CheckedForm):
    code = StringField("Code from your app", widget=GovTextInput(),
                       validators=[DataRequired("Enter the code from your authenticator app"),
                                   Length(max=20, message="Enter the 6-digit code from your app")])
    submit = SubmitField("Turn off two-factor authentication", widget=GovSubmitInput())


class EndSessionsForm(CheckedForm):
    which = RadioField("Which sessions?", widget=GovRadioInput(), choices=[
        SelectChoice("others", "All my other sessions (stay signed in here)"),
        SelectChoice("all", "Every session, including this one")],
        validators=[DataRequired("Choose which sessions to sign out of")])
    submit = SubmitField("Sign out", widget=GovSubmitInput())
