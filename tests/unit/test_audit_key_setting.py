"""EHA_AUDIT_KEY: from the environment, else .streamlit/secrets.toml, else the file
EHA_AUDIT_KEY_FILE names; never printed, refused when short, required to open the workbook."""

from pathlib import Path

import pytest

from storage.settings import SettingsError, load_settings

KEY = "k" * 40


def test_the_key_comes_from_the_environment_then_secrets_then_a_file(tmp_path: Path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'EHA_AUDIT_KEY = "{"s" * 40}"\n')
    assert load_settings({"EHA_AUDIT_KEY": KEY}, secrets_file=secrets).audit_key == KEY.encode()
    assert load_settings({}, secrets_file=secrets).audit_key == b"s" * 40
    key_file = tmp_path / "audit.key"
    key_file.write_text(f"  {'f' * 64}\n", encoding="utf-8")
    none = tmp_path / "none.toml"
    from_file = load_settings({"EHA_AUDIT_KEY_FILE": str(key_file)}, secrets_file=none)
    assert from_file.audit_key == b"f" * 64
    assert load_settings({"EHA_AUDIT_KEY": KEY, "EHA_AUDIT_KEY_FILE": str(key_file)}, secrets_file=none).audit_key == (
        KEY.encode()
    )
    assert load_settings({}, secrets_file=none).audit_key is None


def test_the_key_is_never_in_the_settings_printed_form(tmp_path: Path):
    settings = load_settings({"EHA_AUDIT_KEY": KEY}, secrets_file=tmp_path / "none.toml")
    assert KEY not in repr(settings) and KEY not in str(settings)


def test_a_short_key_or_an_unreadable_file_is_refused_by_name(tmp_path: Path):
    none = tmp_path / "none.toml"
    with pytest.raises(SettingsError, match=r"EHA_AUDIT_KEY must be at least 32 characters long \(it has 5\)"):
        load_settings({"EHA_AUDIT_KEY": "short"}, secrets_file=none)
    missing = tmp_path / "absent.key"
    with pytest.raises(SettingsError, match=r"EHA_AUDIT_KEY_FILE names .*absent\.key, which cannot be read"):
        load_settings({"EHA_AUDIT_KEY_FILE": str(missing)}, secrets_file=none)
    short = tmp_path / "short.key"
    short.write_text("abc\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"short\.key \(EHA_AUDIT_KEY_FILE\) must be at least 32"):
        load_settings({"EHA_AUDIT_KEY_FILE": str(short)}, secrets_file=none)


def test_without_a_key_the_workbook_does_not_open(tmp_path: Path):
    from storage.bootstrap import open_workbook

    settings = load_settings({"EHA_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, secrets_file=tmp_path / "n.toml")
    with pytest.raises(SettingsError, match="There is no audit key"):
        open_workbook(settings)
    assert not (tmp_path / "x.db").exists()  # refused before anything was written
