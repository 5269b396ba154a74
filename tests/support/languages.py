"""A prompts directory with another language in it, for tests: the real prompts/pl-PL.yaml where it exists, or one
made from en-GB.yaml's keys with each prompt marked "PL: "; and a keys-only language, xx-XX, that Twilio could not
recognise speech in."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
POLISH_VOICE = "Polly.Ewa"
KEYS_ONLY = "xx-XX"


def _marked(words, mark: str):
    if isinstance(words, dict):
        return {key: _marked(value, mark) for key, value in words.items()}
    return f"{mark}{words}"


def made_language(directory: Path, code: str, mark: str, reviewed: bool = False) -> None:
    """prompts/<code>.yaml made from English's: every key, each prompt marked, placeholders and pauses kept."""
    english = yaml.safe_load((PROMPTS / "en-GB.yaml").read_text("utf-8"))
    words = _marked(english, mark)
    words["translation"] = {"language": code, "reviewed": reviewed, "reviewed_by": "", "reviewed_on": "",
                            "note": "made by the tests"}
    words["settings"] = {"privacy": f"{mark}We keep your answers for our team only.",
                         "under_16_advice": f"{mark}Please speak to your GP."}
    (directory / f"{code}.yaml").write_text(yaml.safe_dump(words, allow_unicode=True), "utf-8")


def prompts_dir(tmp_path: Path, languages: str = "pl-PL", reviewed: bool | None = None) -> Path:
    """A copy of prompts/ offering `languages` ("pl-PL", or "xx-XX" for keys only) on key 5. Polish is the real
    file when there is one; `reviewed` marks the file reviewed or not (None: as it is)."""
    directory = tmp_path / "prompts"
    shutil.copytree(PROMPTS, directory)
    settings = yaml.safe_load((directory / "settings.yaml").read_text("utf-8"))
    if languages == KEYS_ONLY:
        made_language(directory, KEYS_ONLY, "XX: ")
        settings["languages"] = [{"code": KEYS_ONLY, "key": "5", "offer": "XX, 5.", "voice": "Polly.Xx",
                                  "speech": False, "name": "Keysonly"}]
    else:
        if not (directory / "pl-PL.yaml").exists():
            made_language(directory, "pl-PL", "PL: ")
        settings["languages"] = [entry for entry in settings["languages"] if entry["code"] == "pl-PL"]
        settings["languages"][0]["voice"] = POLISH_VOICE
    if reviewed is not None:
        path = directory / f"{settings['languages'][0]['code']}.yaml"
        words = yaml.safe_load(path.read_text("utf-8"))
        words["translation"]["reviewed"] = reviewed
        path.write_text(yaml.safe_dump(words, allow_unicode=True), "utf-8")
    (directory / "settings.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    return directory
