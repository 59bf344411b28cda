"""Log-in and set-password forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField("Email address", widget=GovTextInput(),
                       validators=[DataRequired("Enter your email address")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired("Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password", widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[DataRequired("Enter a new password"),
                    Length(min=12, max=128, message="Password must be 12 to 128 characters")])
    confirm = PasswordField("Confirm new password", widget=GovPasswordInput(),
                            validators=[DataRequired("Enter the password again"),
                                        EqualTo("password", "The passwords do not match")])
    submit = SubmitField("Set password", widget=GovSubmitInput())
