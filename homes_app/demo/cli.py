"""flask demo-data: load the fictional council into an empty database and print the log-ins."""
from __future__ import annotations

import time

import click
from flask import Flask
from sqlalchemy import select

from .. import clock
from ..auth.models import Role, User
from ..errors import DomainError
from ..extensions import db
from ..homes.queries import count_homes
from .council import COUNCIL, DEMO_PASSWORD, PEOPLE
from .data import load


def register_cli(app: Flask) -> None:
    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True,
                  help="Do nothing (and say so) when the database already has a home.")
    @click.option("--seed", default=1, show_default=True, type=int,
                  help="The same seed on the same day gives the same data.")
    def demo_data(if_empty: bool, seed: int):
        """Load a fictional council: six homes, demo accounts and two years of moves."""
        if count_homes():
            db.session.rollback()
            if not if_empty:
                raise click.ClickException(
                    "The database already has homes; demo data loads only into an empty "
                    "database (--if-empty skips quietly).")
            click.echo("Homes already exist: demo data not loaded.")
            print_logins()
            return

        began = time.perf_counter()
        try:
            summary = load(seed, clock.today())
        except DomainError as error:  # a generator bug: nothing is kept
            db.session.rollback()
            raise click.ClickException(f"Demo data refused: {error.message}") from None
        db.session.commit()
        print_summary(summary, time.perf_counter() - began)
        print_logins()


def print_summary(s, seconds: float) -> None:
    occupancy = s.occupancy
    click.echo(f"Demo data for {COUNCIL} loaded in {seconds:.1f} s: {len(s.homes)} homes, "
               f"{s.beds} beds, {s.children} children, {s.placements} stays, moves from "
               f"{s.start:%-d %B %Y} to {s.today:%-d %B %Y}.")
    click.echo(f"Occupancy over those two years: {occupancy.pct_registered}% of registered "
               f"places, {occupancy.pct_in_use}% of beds in use.")
    for home in s.homes:
        o = s.by_home.get(home.id)
        pct = f"{o.pct_registered}%" if o and o.pct_registered is not None else "not open"
        click.echo(f"  {home.name:<20} {home.max_children} bed(s)  {home.status:<12} "
                   f"{home.ofsted_urn or '(no URN yet)':<12} occupancy {pct}")
    click.echo("Moves: " + ", ".join(f"{n} {k}" for k, n in sorted(s.moves.items())) + ".")


def print_logins() -> None:
    """The demo accounts present in this database, with the one shared demo password."""
    emails = [p.email for p in PEOPLE if p.can_sign_in]
    users = {u.email: u for u in db.session.scalars(select(User).where(
        User.email.in_(emails), User.password_hash.is_not(None)))}
    if not users:
        return
    click.echo("")
    click.echo("Demo log-ins (demo data only). Password for every account below:")
    click.echo(f"  {DEMO_PASSWORD}")
    for person in PEOPLE:
        user = users.get(person.email)
        if user is None:
            continue
        homes = f"  ({', '.join(h.name for h in user.homes)})" if user.homes else ""
        click.echo(f"  {Role(user.role).label:<20} {user.email}{homes}")
    click.echo("Administrators, service directors and registered managers set up two-factor "
               "authentication (an authenticator app) at their first sign-in.")
