"""Admin commands for clinician accounts and lost second factors (``flask --app wsgi admin ...``)."""

import click
from sqlalchemy import func
from sqlmodel import select

from diary import second_factor
from diary.admin import admin, checked_password, database, stop_if_rejected, when
from diary.auth import end_sessions, read_email
from diary.clinic.accounts import EmailTaken, clinician_by_email, create_clinician, end_clinician_sessions
from diary.forms import FormReader
from diary.models import Clinician, ClinicianConnection, Patient


@admin.command("create-clinician")
@click.argument("email")
@click.option("--name", prompt="Name the patients see", help="The clinician's name, as patients will see it.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of asking for it.")
def create_clinician_command(email, name, password_stdin):
    """Create a clinician's account (it has no diary of its own).

    At the first login the clinician sets up two-step login and sees nothing else until it is on.
    Patients connect to the clinician with a code the clinician makes at /clinic/.
    """
    reader = FormReader({"email": email, "display_name": name})
    email = read_email(reader)
    display_name = reader.text("display_name", "The name", max_length=80, required=True)
    stop_if_rejected(reader)
    session = database()
    if clinician_by_email(session, email) is not None:
        raise click.ClickException(f"A clinician account with the email {email} already exists.")
    try:
        create_clinician(session, email, display_name, checked_password(password_stdin))
    except EmailTaken:
        raise click.ClickException(f"A clinician account with the email {email} already exists.") from None
    session.commit()
    click.echo(f"Created the clinician account {email} ({display_name}). They log in at /clinic/login "
               "and set up two-step login first.")


@admin.command("list-clinicians")
def list_clinicians():
    """List clinician accounts: email, name, when created, and how many patients are connected now."""
    rows = database().exec(
        select(Clinician.email, Clinician.display_name, Clinician.created_at,
               func.count(ClinicianConnection.id))
        .outerjoin(ClinicianConnection, (ClinicianConnection.clinician_id == Clinician.id)
                   & ClinicianConnection.disconnected_at.is_(None))
        .group_by(Clinician.id).order_by(Clinician.created_at, Clinician.id)).all()
    if not rows:
        click.echo("No clinician accounts yet.")
        return
    width = max(len(email) for email, *_ in rows)
    click.echo(f"{'Email':<{width}}  {'Created':<20}  {'Patients':>8}  Name")
    for email, name, created_at, patients in rows:
        click.echo(f"{email:<{width}}  {when(created_at):<20}  {patients:>8}  {name}")


@admin.command("remove-second-factor")
@click.argument("email")
@click.option("--clinician", is_flag=True, help="The account is a clinician's, not a patient's.")
def remove_second_factor(email, clinician):
    """Remove an account's lost authenticator and its recovery codes, and log it out everywhere.

    For someone who lost both their phone and their recovery codes: check who they are first. A
    patient then logs in with the password alone; a clinician must set up a new authenticator at
    their next login before seeing anything.
    """
    session = database()
    email = email.strip().lower()
    if clinician:
        account, holder = clinician_by_email(session, email), second_factor.CLINICIANS
    else:
        account = session.exec(select(Patient).where(Patient.email == email)).first()
        holder = second_factor.PATIENTS
    kind = "clinician" if clinician else "patient"
    if account is None:
        raise click.ClickException(f"There is no {kind} account with the email {email}.")
    (end_clinician_sessions if clinician else end_sessions)(account)
    session.add(account)
    had_one = second_factor.turn_off(session, account.id, holder)  # commits the new secret too
    if not had_one:
        click.echo(f"The {kind} account {email} had no second factor; it is logged out everywhere.")
        return
    click.echo(f"Removed the second factor of the {kind} account {email} and logged it out everywhere.")
