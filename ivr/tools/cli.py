"""Trying and tuning the line without a phone: `flask call`, `flask flows map|timing`, `flask prompts check`."""

from __future__ import annotations

import secrets
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from ivr.callflow.flowbook import FlowBook, FlowError
from ivr.callflow.line import load_book
from ivr.callflow.prompts import Prompts

if TYPE_CHECKING:
    from ivr.tools.simulator import TerminalCall

# The simulator and the pretend phone are imported by the command that uses them: a worker answering calls
# creates this app too, and should not carry them.
DEFAULT_CALLER = "+447400123456"  # a UK mobile number the line accepts for a callback


def register(app: Flask) -> None:
    """Add the commands to `flask`."""
    app.cli.add_command(call_command)
    app.cli.add_command(flows)
    app.cli.add_command(prompts_group)


def _fail(message: str, code: int = 1) -> None:
    click.echo(message, err=True)
    sys.exit(code)


@contextmanager
def _signing_app(app: Flask) -> Iterator[Flask]:
    """This app, checking signatures: with a throwaway auth token while the call lasts, if it has none.

    Only this command's own process (or a test's runner) uses the app meanwhile, so its settings are lent.
    """
    if app.config["TWILIO_AUTH_TOKEN"] and not app.config["ALLOW_UNSIGNED_WEBHOOKS"]:
        yield app
        return
    kept = {name: app.config[name] for name in ("TWILIO_AUTH_TOKEN", "ALLOW_UNSIGNED_WEBHOOKS")}
    app.config.update(TWILIO_AUTH_TOKEN="simulator-" + secrets.token_hex(16), ALLOW_UNSIGNED_WEBHOOKS=False)
    try:
        yield app
    finally:
        app.config.update(kept)


@click.command("call")
@click.option("--script", help='Inputs to play, comma-separated, e.g. "2,14031988,1,say:Park Surgery Heanor".')
@click.option("--answer", "answers", multiple=True, metavar="STEP=INPUT",
              help="Answer by step: a whole referral with the usual answers, but INPUT at STEP, e.g. "
                   "--answer 'referral.name=say:Sam Taylor' (repeat for more steps).")
@click.option("--from", "caller", default=DEFAULT_CALLER, show_default=True,
              help="The caller's number; 'withheld' for a withheld number.")
@click.option("--speak", is_flag=True, help="Also speak the prompts through espeak-ng, if installed.")
@with_appcontext
def call_command(script: str | None, answers: tuple[str, ...], caller: str, speak: bool) -> None:
    """Ring the line from the terminal: a real, signed call through the app and its database."""
    from ivr.tools import simulator
    from ivr.tools.phone import LineError

    try:
        with _signing_app(current_app._get_current_object()) as app:
            if simulator.schema_missing():
                _fail("The database has no tables yet: run `flask --app wsgi db upgrade` first.")
            terminal = _terminal_call(app, simulator.caller_id(caller), speak)
            if answers and script is not None:
                _fail("Give --script (inputs in order) or --answer (inputs by step), not both.")
            if answers:
                simulator.run_by_step(terminal, simulator.parse_answers(answers))
            elif script is None:
                simulator.run_interactive(terminal, _read_line)
                return
            else:
                simulator.run_script(terminal, simulator.parse_script(script))
            click.echo("The script ran to its end.")
    except simulator.ScriptError as error:
        _fail(f"The script stopped: {error}.")
    except LineError as error:
        _fail(f"The line answered something a phone could not play: {error}")
    except SQLAlchemyError as error:
        _fail(f"The database could not be used ({error.__class__.__name__}): is DATABASE_URL right, "
              "and has `flask --app wsgi db upgrade` been run?")


def _terminal_call(app: Flask, caller_number: str, speak: bool) -> TerminalCall:
    """A pretend phone on the app's test client, signing with the app's own auth token."""
    from ivr.tools import simulator
    from ivr.tools.phone import Phone, flask_transport

    phone = Phone(
        flask_transport(app.test_client()), app.config["TWILIO_AUTH_TOKEN"],
        base_url=app.config["PUBLIC_BASE_URL"] or Phone.base_url, caller_number=caller_number,
    )
    width = max(40, min(100, shutil.get_terminal_size((88, 24)).columns))
    book = app.extensions["ivr_line"].book
    return simulator.TerminalCall(phone, book, click.echo, simulator.Speaker(speak, click.echo), width=width)


def _read_line() -> str | None:
    """One line typed by the caller; None when input ends (Ctrl-D) or is interrupted (Ctrl-C)."""
    try:
        return click.prompt("", prompt_suffix="> ", default="", show_default=False)
    except click.exceptions.Abort:
        return None


def _load(app: Flask) -> tuple[FlowBook, Prompts]:
    """The flows and prompts named by the app's config, loaded afresh (FLOWS_DIR, PROMPTS_DIR)."""
    book = load_book(app.config["FLOWS_DIR"])
    return book, Prompts(app.config["PROMPTS_DIR"])


@click.group("flows")
def flows() -> None:
    """Look at the call flows: a map, and how long each path takes."""


@flows.command("map")
@click.option("--output", "-o", default="flows.svg", show_default=True, type=click.Path(dir_okay=False))
@with_appcontext
def flows_map(output: str) -> None:
    """Draw every flow (steps, answers, retries, exits) to an SVG file."""
    from ivr.tools.flowmap import FlowMapUnavailable, flow_map_svg

    try:
        book, _ = _load(current_app)
        svg = flow_map_svg(book)
    except (FlowError, OSError, FlowMapUnavailable) as error:
        _fail(str(error))
    Path(output).write_text(svg, encoding="utf-8")
    click.echo(f"Wrote the map of {len(book.steps)} steps to {output}")


@flows.command("timing")
@click.option("--strict", is_flag=True,
              help="Exit non-zero when the referral happy path, with or without the text offer, is over its target.")
@with_appcontext
def flows_timing(strict: bool) -> None:
    """Estimated length of every path through the flows, and the referral happy path."""
    from ivr.tools.offer_timing import TO_OFFER_AT_MOST, to_the_offer
    from ivr.tools.timing import TARGET_SECONDS, all_timings, minutes, over_target, referral_happy_path

    try:
        book, prompts = _load(current_app)
    except (FlowError, OSError) as error:
        _fail(str(error))
    timings = all_timings(book, prompts)
    click.echo("Spoken at 150 words a minute, plus 3 s a key, 4 s a short spoken answer, 8 s a date,")
    click.echo("number, name or practice. Keypad / speech = the caller answers by keys / by voice.")
    end = None
    for timing in timings:
        if timing.end != end:
            end = timing.end
            click.echo(f"\nEnding at {end}:")
        click.echo(f"  {minutes(timing.keypad_total)} keypad  {minutes(timing.speech_total)} speech  "
                   f"{timing.questions:2d} questions  {timing.description}")
    happy = referral_happy_path(timings)
    click.echo(f"\nReferral happy path: {minutes(happy.keypad_total)} by keypad, "
               f"{minutes(happy.speech_total)} by voice, {happy.questions} questions "
               f"({minutes(happy.spoken_seconds)} of it the line speaking).")
    own_keypad, own_speech = happy.since("referral")
    click.echo(f"  {happy.description}")
    click.echo(f"  From the referral's first words to goodbye: {minutes(own_keypad)} by keypad, "
               f"{minutes(own_speech)} by voice; the rest is the welcome, crisis routes and menu.")
    texted = referral_happy_path(timings, texted=True)
    click.echo(f"  With the text offer (a UK mobile, on a line that can text): {minutes(texted.keypad_total)} by "
               f"keypad, {minutes(texted.speech_total)} by voice.")
    in_hours = referral_happy_path(all_timings(book, prompts, in_office_hours=True))
    if in_hours.keypad_total != happy.keypad_total:
        over = max(in_hours.keypad_total, in_hours.speech_total) > TARGET_SECONDS
        click.echo(f"  In office hours, with the offer to speak to someone: {minutes(in_hours.keypad_total)} by "
                   f"keypad, {minutes(in_hours.speech_total)} by voice{' (over the target)' if over else ''}.")
    offer = to_the_offer(book, prompts)
    click.echo(f"\nFrom a disclosure (or key 9) to \"press 1\" to be put through (at most {TO_OFFER_AT_MOST} s):")
    for name, seconds in sorted(offer.items(), key=lambda item: -item[1]):
        click.echo(f"  {seconds:4.1f} s  {name}{'  (over)' if seconds > TO_OFFER_AT_MOST else ''}")
    if over := over_target(timings):
        click.echo(f"Warning: the referral happy path is over the {minutes(TARGET_SECONDS)} target: "
                   f"{', '.join(over)}.", err=True)
        if strict:
            sys.exit(1)


@click.group("prompts")
def prompts_group() -> None:
    """Check the prompts."""


@prompts_group.command("check")
@with_appcontext
def prompts_check() -> None:
    """Flag prompts a caller will struggle with, and keys missing or unused; list what is marked TO CONFIRM."""
    from ivr.tools.confirm import to_confirm
    from ivr.tools.languagecheck import check_languages
    from ivr.tools.promptcheck import check_prompts, check_text_receipt

    try:
        book, prompts = _load(current_app)
    except (FlowError, OSError) as error:
        _fail(f"The flows or prompts do not load: {error}")
    config = current_app.config
    problems = check_prompts(book, prompts) + check_text_receipt(config["PROMPTS_DIR"])
    languages, language_problems = check_languages(config["PROMPTS_DIR"], prompts, book)
    problems += language_problems
    marked = to_confirm(config["PROMPTS_DIR"])
    if marked:  # not a problem: the service's to confirm before go-live, listed every time
        click.echo(f"For the service to confirm before go-live ({len(marked)} marked TO CONFIRM):")
        click.echo("\n".join(f"  {item}" for item in marked) + "\n")
    if languages:
        click.echo("Languages besides English (settings.yaml's languages:):")
        click.echo("\n".join(f"  {line}" for line in languages) + "\n")
    for problem in problems:
        click.echo(problem)
    if problems:
        _fail(f"{len(problems)} problem(s) in {current_app.config['PROMPTS_DIR']}")
    click.echo(f"The prompts are fine: {len(prompts.texts)} checked against {len(book.steps)} steps.")
