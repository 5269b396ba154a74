"""`flask referrals fhir|dataset`: referrals for the patient record system, as FHIR Bundles or the data set's CSV;
`flask pds jwks`: the public key to register with NHS England for PDS.

Every export is in the audit log (actor "system": the server's own user ran it), with the referrals it held.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ivr import audit
from ivr.extensions import db
from ivr.interop import dataset
from ivr.interop.bundle import bundle_json
from ivr.interop.nhs_auth import SignedJwtTokens
from ivr.interop.pds import PdsError
from ivr.models import Referral, Status
from ivr.models.records import REFERENCE_PREFIX

referrals_cli = AppGroup("referrals", help="Referrals for the service's patient record system (docs/fhir.md).")
pds_cli = AppGroup("pds", help="NHS England's Personal Demographics Service (docs/deployment.md).")
DAY = click.DateTime(formats=["%Y-%m-%d"])


def register(app: Flask) -> None:
    app.cli.add_command(referrals_cli)
    app.cli.add_command(pds_cli)


def normal_reference(text: str) -> str:
    """A reference as staff might type it ("ipt-482913", "482913") as stored: "IPT-482913"."""
    text = text.strip().upper()
    return f"{REFERENCE_PREFIX}-{text}" if text.isdigit() else text


def exportable(reference: str) -> Referral:
    """The referral with this reference, or a one-line error: none has it, or its call is still going on."""
    referral = db.session.scalars(select(Referral).where(Referral.reference == normal_reference(reference))).first()
    if referral is None:
        raise click.ClickException(f"No referral has the reference {normal_reference(reference)}.")
    if referral.status == Status.IN_PROGRESS:
        raise click.ClickException(f"{referral.reference} is still being made: its call has not ended.")
    return referral


def audited(action: str, referrals: list[Referral]) -> None:
    """One audit event per referral exported, so each referral's history shows it."""
    for referral in referrals:
        audit.record(action, "referral", referral.id, {"via": "cli", "count": len(referrals)})
    db.session.commit()


@referrals_cli.command("fhir")
@click.argument("reference", required=False)
@click.option("--since", type=DAY, help="Every referral received on or after this day (YYYY-MM-DD); needs --out.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one file per referral here, REFERENCE.json, instead of printing.")
def fhir_command(reference: str | None, since: datetime | None, out: Path | None) -> None:
    """Print one referral as a FHIR R4 Bundle (UK Core), or write each referral since a day to a folder."""
    if (reference is None) == (since is None):
        raise click.UsageError("Give a REFERENCE, or --since YYYY-MM-DD with --out DIR.")
    if since is not None and out is None:
        raise click.UsageError("--since writes one file per referral: give --out DIR.")
    referrals = [exportable(reference)] if reference else list(db.session.scalars(dataset.received_since(since.date())))
    if out is None:
        click.echo(bundle_json(referrals[0]))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for referral in referrals:
            (out / f"{referral.reference}.json").write_text(bundle_json(referral) + "\n", encoding="utf-8")
        click.echo(f"Wrote {len(referrals)} FHIR record{'' if len(referrals) == 1 else 's'} to {out}.", err=True)
    audited("referral.fhir_exported", referrals)


@referrals_cli.command("dataset")
@click.option("--since", type=DAY, required=True, help="Referrals received on or after this day (YYYY-MM-DD).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The CSV file to write ('-' prints it).")
def dataset_command(since: datetime, out: Path) -> None:
    """The NHS Talking Therapies data set's items for each referral received since a day, as CSV."""
    referrals = list(db.session.scalars(dataset.received_since(since.date())))
    text = dataset.csv_text(referrals)
    if str(out) == "-":
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8", newline="")
        click.echo(f"Wrote {len(referrals)} referral{'' if len(referrals) == 1 else 's'} ({dataset.DATA_SET}) "
                   f"to {out}.", err=True)
    audited("referral.dataset_exported", referrals)


@pds_cli.command("jwks")
def jwks_command() -> None:
    """Print the public key of PDS_PRIVATE_KEY_PATH as a JWKS under PDS_KEY_ID, to register with NHS England."""
    config = current_app.config
    if not (config.get("PDS_PRIVATE_KEY_PATH") and config.get("PDS_KEY_ID")):
        raise click.ClickException("Set PDS_PRIVATE_KEY_PATH and PDS_KEY_ID first (docs/deployment.md).")
    tokens = SignedJwtTokens(config.get("PDS_TOKEN_URL", ""), config.get("PDS_API_KEY", ""), config["PDS_KEY_ID"],
                             config["PDS_PRIVATE_KEY_PATH"])
    try:
        click.echo(json.dumps(tokens.public_jwks(), indent=2))
    except PdsError as error:
        raise click.ClickException(f"The private key at {config['PDS_PRIVATE_KEY_PATH']} could not be read.") \
            from error
